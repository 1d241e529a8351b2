// Pipeline `concurrency`, enforced when a run starts: at most `limit` runs per pipeline and key.
// `queue` hands the run to a per-key gate (a `poolSemaphore` workflow whose holders are runs), which
// starts it when a slot frees — durable, so a queued run is never stuck, even across worker restarts.
// The other behaviours decide at once, under a per-key advisory lock so two starts never both see room.
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { ExpressionError, renderString } from '../spec/expressions.ts';
import type { Plan, PlanPipeline } from '../spec/plan.ts';
import { activeRunsOfKey, lockConcurrencyKey, recordAdmission, type ConcurrencyBehavior } from '../store/concurrency.ts';
import { appendEvents } from '../store/events.ts';
import { finishRun } from '../store/runs.ts';
import { requestLease } from './pool-activities.ts';
import type { RunInput } from './run-input.ts';
import { RunRequestError } from './run-request.ts';
import type { RunsClient } from './runs-client.ts';

export type Admission =
  | { kind: 'started' }
  | { kind: 'queued'; gate: string }
  | { kind: 'rejected'; status: 'cancelled' | 'failed'; reason: string };

type Concurrency = NonNullable<PlanPipeline['concurrency']>;

/** How long `cancel_running` waits for the runs it cancels to stop before starting the new one. */
const CANCEL_WAIT_MS = 30_000;

/** Workflow id of the gate queueing runs of one pipeline and key. */
export function concurrencyGateId(project: string, pipeline: string, key: string): string {
  return `concurrency-${project}-${pipeline}${key ? `-${key}` : ''}`;
}

/** The run's concurrency key: `key` rendered against its params and partition ('' without a key). */
export function concurrencyKey(concurrency: Concurrency, input: RunInput): string {
  if (!concurrency.key) return '';
  try {
    return renderString(concurrency.key, { params: input.params, ...(input.partition ? { partition: input.partition } : {}) }).value;
  } catch (err) {
    if (err instanceof ExpressionError) throw new RunRequestError('concurrency.key', `the concurrency key cannot be rendered: ${err.message}`);
    throw err;
  }
}

/**
 * Starts the run's workflow, or queues, cancels or fails the run as its pipeline's `concurrency`
 * says. Call after the run row exists (status `queued`), in place of starting `runPipeline` directly.
 */
export async function launchRun(rc: RunsClient, plan: Plan, input: RunInput): Promise<Admission> {
  const concurrency = plan.pipelines[input.pipeline]?.concurrency ?? null;
  if (!concurrency) {
    await startRunWorkflow(rc, input);
    return { kind: 'started' };
  }
  let key: string;
  try {
    key = concurrencyKey(concurrency, input);
  } catch (err) {
    await finishRun(rc.sql, input.runId, 'failed', err instanceof Error ? err.message : String(err));
    throw err;
  }
  switch (concurrency.behavior) {
    case 'queue':
      return queueRun(rc, input, concurrency, key);
    case 'cancel_new':
    case 'cancel_running':
    case 'fail':
      return admitNow(rc, input, concurrency, key);
    default: {
      const unknown: never = concurrency.behavior;
      throw new Error(`unknown concurrency behavior ${String(unknown)}`);
    }
  }
}

async function startRunWorkflow(rc: RunsClient, input: RunInput): Promise<void> {
  await rc.client.workflow.start('runPipeline', {
    workflowId: `run-${input.runId}`,
    taskQueue: rc.taskQueue,
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
}

async function queueRun(rc: RunsClient, input: RunInput, c: Concurrency, key: string): Promise<Admission> {
  const gate = concurrencyGateId(input.project, input.pipeline, key);
  await recordAdmission(rc.sql, { ...ids(input, key), behavior: 'queue', decision: 'queued', reason: `queued behind ${gate} (limit ${c.limit})` });
  // The gate starts the run's workflow when it grants the slot; the run row stays `queued` until then.
  await requestLease(rc.client, gate, rc.taskQueue, {
    holder: input.runId,
    workflowId: `run-${input.runId}`,
    limit: c.limit,
    // `concurrencyGate` lets the run give its slot back the moment it ends (`releaseRunSlot`);
    // without it the gate still notices the closed run within a second.
    start: { workflowType: 'runPipeline', taskQueue: rc.taskQueue, args: [{ ...input, concurrencyGate: gate }] },
  });
  return { kind: 'queued', gate };
}

async function admitNow(rc: RunsClient, input: RunInput, c: Concurrency, key: string): Promise<Admission> {
  const behavior = c.behavior as Exclude<ConcurrencyBehavior, 'queue'>;
  const decided = await rc.sql.begin(async (tx) => {
    await lockConcurrencyKey(tx, input.project, input.pipeline, key);
    const active = await activeRunsOfKey(tx, input.project, input.pipeline, key, input.runId);
    if (active.length < c.limit) {
      await recordAdmission(tx, { ...ids(input, key), behavior, decision: 'started', reason: null });
      return { admission: { kind: 'started' } as Admission, toCancel: [] as string[] };
    }
    const reason = `${input.pipeline} already has ${active.length} run${active.length === 1 ? '' : 's'} in flight${key ? ` for key ${key}` : ''} (limit ${c.limit}): ${active.join(', ')}`;
    switch (behavior) {
      case 'cancel_new':
      case 'fail': {
        const status = behavior === 'fail' ? 'failed' : 'cancelled';
        const row = await recordAdmission(tx, { ...ids(input, key), behavior, decision: status, reason });
        await finishRun(tx, input.runId, status, row.reason);
        await appendEvents(tx, [{ runId: input.runId, key: `run:${status}`, kind: 'state', level: status === 'failed' ? 'error' : 'warn', message: `run ${status}: ${row.reason}`, data: { concurrency: { key, limit: c.limit, behavior, active } } }]);
        return { admission: { kind: 'rejected', status, reason: row.reason ?? reason } as Admission, toCancel: [] };
      }
      case 'cancel_running': {
        // The oldest runs make room: exactly as many as the new run needs.
        const toCancel = active.slice(0, active.length - c.limit + 1);
        await recordAdmission(tx, { ...ids(input, key), behavior, decision: 'started', reason: `cancelled ${toCancel.join(', ')} to make room` });
        for (const runId of toCancel) {
          await appendEvents(tx, [{ runId, key: `concurrency:cancelled-by:${input.runId}`, kind: 'state', level: 'warn', message: `cancelled to make room for run ${input.runId} (concurrency limit ${c.limit})` }]);
        }
        return { admission: { kind: 'started' } as Admission, toCancel };
      }
      default: {
        const unknown: never = behavior;
        throw new Error(`unknown concurrency behavior ${String(unknown)}`);
      }
    }
  });
  if (decided.toCancel.length) await cancelAndWait(rc, decided.toCancel);
  if (decided.admission.kind === 'started') await startRunWorkflow(rc, input);
  return decided.admission;
}

/** Cancels runs and waits (bounded) for them to stop, so the limit holds while the new run starts. */
async function cancelAndWait(rc: RunsClient, runIds: string[]): Promise<void> {
  await Promise.all(
    runIds.map(async (runId) => {
      const handle = rc.client.workflow.getHandle(`run-${runId}`);
      try {
        await handle.cancel();
      } catch {
        await finishRun(rc.sql, runId, 'cancelled', 'cancelled to make room for a newer run');
        return; // never started (or already gone): the row is all there is
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((r) => (timer = setTimeout(r, CANCEL_WAIT_MS)));
      await Promise.race([handle.result().catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
    }),
  );
}

function ids(input: RunInput, key: string) {
  return { runId: input.runId, project: input.project, pipeline: input.pipeline, key };
}
