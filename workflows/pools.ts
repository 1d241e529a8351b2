// Cross-run semaphores: one long-running `poolSemaphore` workflow per pool (and per pipeline
// concurrency key), granting leases in FIFO order to steps or runs of other workflows.
// A waiting holder waits on a signal (a workflow condition), so it holds no worker slot. A holder
// releases in a non-cancellable scope; one that dies without releasing (terminated, timed out) is
// found by asking Temporal whether its workflow is still running, whenever someone is waiting.
import {
  CancellationScope,
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { LeaseRequest, PoolActivities, SemaphoreState } from '../runtime/engine/pool-activity-types.ts';

export type { LeaseRequest, SemaphoreState } from '../runtime/engine/pool-activity-types.ts';

export const acquireSignal = defineSignal<[LeaseRequest]>('weir.pool.acquire');
export const releaseSignal = defineSignal<[{ holder: string }]>('weir.pool.release');
export const grantedSignal = defineSignal<[{ semaphore: string; holder: string }]>('weir.pool.granted');

/** Workflow id of a pool's semaphore: one per project and pool. */
export const poolSemaphoreId = (project: string, pool: string): string => `pool-${project}-${pool}`;

// How often holders are checked for death while someone waits: the longest a dead holder's lease
// can block the queue. Each check is one short activity in the semaphore's history, never the holder's.
const PROBE_MS = 1_000;
// Continue-as-new well before Temporal's warning threshold; the state carried over is small.
const MAX_HISTORY = 4_000;

const bookkeeping = proxyActivities<PoolActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 10, initialInterval: '200ms', maximumInterval: '5s' },
});

// ── the semaphore ──────────────────────────────────────────────────────────

export async function poolSemaphore(initial: SemaphoreState): Promise<void> {
  const self = workflowInfo().workflowId;
  let limit = initial.limit;
  const holders = new Map(initial.holders.map((h) => [h.holder, h]));
  const queue: LeaseRequest[] = [...initial.queue];
  let changes = 0;

  // Defined before the handlers: signals that started this workflow are delivered as they are set.
  // Tells a holder it holds the lease; false when its workflow is gone (the lease is then void).
  const grant = async (request: LeaseRequest): Promise<boolean> => {
    try {
      if (request.start) await bookkeeping.startHolder({ ...request.start, workflowId: request.workflowId });
      else await getExternalWorkflowHandle(request.workflowId).signal(grantedSignal, { semaphore: self, holder: request.holder });
      return true;
    } catch (err) {
      if (isCancellation(err)) throw err;
      return false;
    }
  };

  setHandler(acquireSignal, (request) => {
    limit = request.limit; // the latest deployment's limit wins
    changes++;
    // A retried request changes nothing: the holder keeps its place (or is told again it holds).
    if (holders.has(request.holder)) {
      if (!request.start) void grant(request);
      return;
    }
    if (!queue.some((q) => q.holder === request.holder)) queue.push(request);
  });
  setHandler(releaseSignal, ({ holder }) => {
    changes++;
    holders.delete(holder);
    const i = queue.findIndex((q) => q.holder === holder);
    if (i >= 0) queue.splice(i, 1);
  });

  const grantFree = async () => {
    const granted: LeaseRequest[] = [];
    while (holders.size < limit && queue.length > 0) {
      const next = queue.shift()!;
      // The run's input is only needed to start it: not carried in the holder list.
      const { start: _start, ...lease } = next;
      holders.set(next.holder, lease);
      granted.push(next);
    }
    const delivered = await Promise.all(granted.map(grant));
    granted.forEach((g, i) => {
      if (!delivered[i]) holders.delete(g.holder);
    });
    return granted.length;
  };

  const dropDeadHolders = async () => {
    const closed = await bookkeeping.closedWorkflows([...new Set([...holders.values()].map((h) => h.workflowId))]);
    if (closed.length === 0) return;
    const gone = new Set(closed);
    for (const [name, h] of holders) if (gone.has(h.workflowId)) holders.delete(name);
    changes++;
  };

  for (;;) {
    if (await grantFree()) continue;
    if (workflowInfo().historyLength > MAX_HISTORY || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof poolSemaphore>({ limit, holders: [...holders.values()], queue });
    }
    const seen = changes;
    const waiting = queue.length > 0;
    // Idle, nothing to check; with waiters, wake up to look for holders that died without releasing.
    const changed = waiting ? await condition(() => changes !== seen, PROBE_MS) : (await condition(() => changes !== seen), true);
    if (!changed && queue.length > 0) await dropDeadHolders();
  }
}

// ── the holder's side, called from run workflows ───────────────────────────

const request = proxyLocalActivities<PoolActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 20, initialInterval: '200ms', maximumInterval: '5s', nonRetryableErrorTypes: ['UnknownPool'] },
});

// Grants that arrived for this workflow, as `semaphore|holder`; module state is per workflow execution.
const granted = new Set<string>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  setHandler(grantedSignal, ({ semaphore, holder }) => {
    granted.add(`${semaphore}|${holder}`);
  });
}

/**
 * Waits (holding no worker slot) until this workflow holds a lease of `pool` as `holder`, a name
 * unique in the pool, e.g. `<runId>/<step>`. Cancelled while waiting, it leaves the queue.
 */
export async function acquirePool(project: string, pool: string, holder: string): Promise<void> {
  listen();
  const semaphore = poolSemaphoreId(project, pool);
  await request.requestPoolLease({ project, pool, semaphore, holder, workflowId: workflowInfo().workflowId });
  try {
    await condition(() => granted.has(`${semaphore}|${holder}`));
  } catch (err) {
    await releasePool(project, pool, holder);
    throw err;
  }
}

/** Gives the lease back (or leaves the queue); safe to call twice, and in a cancelled scope. */
export async function releasePool(project: string, pool: string, holder: string): Promise<void> {
  const semaphore = poolSemaphoreId(project, pool);
  granted.delete(`${semaphore}|${holder}`);
  await CancellationScope.nonCancellable(async () => {
    try {
      await getExternalWorkflowHandle(semaphore).signal(releaseSignal, { holder });
    } catch {
      // No semaphore running: nothing is held. A lost release is still recovered once this run closes.
    }
  });
}


/** Called by a run as it ends: frees its slot in the pipeline concurrency gate it was queued behind, if any. */
export async function releaseRunSlot(input: { runId: string; concurrencyGate?: string | null }): Promise<void> {
  if (!input.concurrencyGate) return;
  await CancellationScope.nonCancellable(async () => {
    try {
      await getExternalWorkflowHandle(input.concurrencyGate!).signal(releaseSignal, { holder: input.runId });
    } catch {
      // The gate is gone: it holds nothing for this run.
    }
  });
}
