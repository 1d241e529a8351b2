// The run workflow: one run of a pipeline, interpreting its plan fragment as a DAG of steps.
// Deterministic: no I/O here; every effect is an activity, every wait a durable timer or condition.
import {
  ApplicationFailure,
  CancellationScope,
  ActivityCancellationType,
  condition,
  defineQuery,
  defineUpdate,
  executeChild,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { RunActivities, RunScope } from '../runtime/engine/activity-types.ts';
import type { RunInput, RunNode, StepReport, StepStatus } from '../runtime/engine/run-input.ts';
import { Semaphore } from './semaphore.ts';
import { acquirePool, releasePool, releaseRunSlot } from './pools.ts';

export interface ApprovalDecision {
  step: string;
  approve: boolean;
  by: string;
  comment?: string;
}

export interface RunProgress {
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  steps: Record<string, StepStatus>;
  /** Approval steps waiting for a decision. */
  waiting: string[];
}

export const approvalUpdate = defineUpdate<void, [ApprovalDecision]>('approve');
export const progressQuery = defineQuery<RunProgress>('progress');

// Bookkeeping is tiny and idempotent: local activities, retried generously.
const book = proxyLocalActivities<RunActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 20, initialInterval: '200ms', maximumInterval: '5s' },
});

// A worker that dies mid-step is noticed within this time, and the attempt is retried elsewhere.
const HEARTBEAT_TIMEOUT_MS = 5_000;

function stepActivities(node: RunNode): RunActivities {
  const options: ActivityOptions = {
    startToCloseTimeout: node.timeoutMs,
    heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: node.retry.attempts,
      initialInterval: node.retry.initialMs,
      maximumInterval: node.retry.maxMs,
      backoffCoefficient: node.retry.backoff === 'exponential' ? 2 : 1,
      nonRetryableErrorTypes: ['NonRetryableStepError'],
    },
  };
  return proxyActivities<RunActivities>(options);
}

const poll = proxyActivities<RunActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 5, initialInterval: '1s' },
});

class StepFailed extends Error {}

export async function runPipeline(input: RunInput): Promise<RunProgress> {
  const scope: RunScope = {
    runId: input.runId,
    project: input.project,
    pipeline: input.pipeline,
    partition: input.partition,
    params: input.params,
    resources: input.resources,
  };
  const states: Record<string, StepStatus> = Object.fromEntries(input.nodes.map((n) => [n.name, 'pending' as StepStatus]));
  const outputs: Record<string, { outputs: Record<string, unknown> }> = {};
  const decisions = new Map<string, ApprovalDecision>();
  const waiting = new Set<string>();
  let runStatus: RunProgress['status'] = 'running';
  setHandler(progressQuery, () => ({ status: runStatus, steps: { ...states }, waiting: [...waiting] }));
  setHandler(
    approvalUpdate,
    (d) => {
      decisions.set(d.step, d);
    },
    {
      validator: (d) => {
        if (!waiting.has(d.step)) throw new Error(`step ${d.step} is not waiting for approval`);
      },
    },
  );

  await book.recordRun({ runId: input.runId, status: 'running' });
  const byName = new Map(input.nodes.map((n) => [n.name, n]));
  const semaphore = new Semaphore(Math.max(1, input.maxParallel));
  // A failed `error` check stops consumption of its asset: its dependents are skipped like a failed step's.
  const blocked = new Set<string>();
  const finished = new Map<string, Promise<StepStatus>>();

  const setState = async (node: RunNode, status: StepStatus, error?: string, extra: { reusedFrom?: string; outputs?: Record<string, unknown> } = {}) => {
    states[node.name] = status;
    await CancellationScope.nonCancellable(() =>
      book.recordStep({ runId: input.runId, step: node.name, kind: node.kind, status, error: error ?? null, ...extra }),
    );
  };

  const runNode = async (node: RunNode): Promise<StepStatus> => {
    const needs = await Promise.all(node.needs.filter((n) => byName.has(n)).map((n) => finished.get(n)!));
    if (needs.some((s) => s === 'cancelled')) {
      await setState(node, 'cancelled');
      return 'cancelled';
    }
    const badNeed = node.needs.find((n, i) => needs[i] !== 'succeeded' || blocked.has(n));
    if (badNeed !== undefined) {
      const why = blocked.has(badNeed) ? `a failed error check on ${badNeed}` : `${badNeed} ${states[badNeed]}`;
      await setState(node, 'skipped', `skipped: ${why}`);
      return 'skipped';
    }
    const reused = input.reuse[node.name];
    if (reused) {
      outputs[node.name] = reused;
      await setState(node, 'succeeded', undefined, { reusedFrom: input.retryOf ?? undefined, outputs: reused.outputs });
      return 'succeeded';
    }
    return semaphore.with(async () => {
      const holder = `${input.runId}/${node.name}`;
      try {
        // Inside the try: a cancellation while waiting for a pool lease lands in the catch below.
        if (node.pool) await acquirePool(input.project, node.pool, holder);
        states[node.name] = 'running';
        const report = await executeNode(node);
        outputs[node.name] = { outputs: report.outputs };
        // A worker step records its own success (one workflow task fewer per step); the rest are recorded here.
        if (runsOnWorker(node)) states[node.name] = 'succeeded';
        else await setState(node, 'succeeded', undefined, { outputs: report.outputs });
        if (node.kind === 'asset') await runChecks(node);
        return 'succeeded';
      } catch (err) {
        if (isCancellation(err)) {
          await setState(node, 'cancelled');
          return 'cancelled';
        }
        await setState(node, 'failed', describe(err));
        return 'failed';
      } finally {
        if (node.pool) await releasePool(input.project, node.pool, holder);
      }
    });
  };

  const executeNode = async (node: RunNode): Promise<StepReport> => {
    const step = node.step;
    if (!step) return { metadata: {}, outputs: {} }; // an external asset: nothing to run
    switch (step.kind) {
      case 'command':
      case 'sql':
      case 'http':
      case 'node':
        return stepActivities(node).executeStep({ ...scope, node, upstream: { ...outputs } });
      case 'wait':
        return waitFor(node, step.until as Record<string, unknown>, step.every, step.timeout);
      case 'approval':
        return approval(node, step.timeout);
      case 'pipeline':
        return childRun(node, step.pipeline, step.params ?? {}, step.partition ?? null);
      default: {
        const unknown: never = step;
        throw ApplicationFailure.nonRetryable(`unknown step kind ${JSON.stringify(unknown)}`);
      }
    }
  };

  const waitFor = async (node: RunNode, until: Record<string, unknown>, every: string | undefined, timeout: string | undefined): Promise<StepReport> => {
    const started = Date.now();
    const limit = timeout ? parseMs(timeout) : node.timeoutMs;
    const interval = every ? parseMs(every) : 30_000;
    for (;;) {
      const r = await poll.pollWait({ ...scope, step: node.name, until });
      if (r.done) return { metadata: { waited_ms: Date.now() - started, condition: r.detail }, outputs: {} };
      if (Date.now() - started + interval > limit) throw new StepFailed(`gave up waiting after ${Math.round((Date.now() - started) / 1000)}s: ${r.detail}`);
      await sleep(interval); // a durable timer: no worker slot is held while waiting
    }
  };

  const approval = async (node: RunNode, timeout: string | undefined): Promise<StepReport> => {
    waiting.add(node.name);
    await book.recordEvent({ runId: input.runId, step: node.name, key: `approval:${node.name}:waiting`, kind: 'approval', level: 'info', message: 'waiting for approval' });
    const decided = await condition(() => decisions.has(node.name), timeout ? parseMs(timeout) : node.timeoutMs);
    waiting.delete(node.name);
    const d = decisions.get(node.name);
    if (!decided || !d) throw new StepFailed('no decision before the approval timed out');
    await book.recordEvent({
      runId: input.runId,
      step: node.name,
      key: `approval:${node.name}:decided`,
      kind: 'approval',
      level: d.approve ? 'info' : 'warn',
      message: `${d.approve ? 'approved' : 'rejected'} by ${d.by}${d.comment ? `: ${d.comment}` : ''}`,
      data: { approve: d.approve, by: d.by },
    });
    if (!d.approve) throw new StepFailed(`rejected by ${d.by}`);
    return { metadata: { approved_by: d.by }, outputs: { approved_by: d.by } };
  };

  const childRun = async (node: RunNode, pipeline: string, params: Record<string, unknown>, partition: string | null): Promise<StepReport> => {
    const child = await book.prepareChildRun({ parentRunId: input.runId, step: node.name, pipeline, params, partition });
    const result = await executeChild(runPipeline, { workflowId: `run-${child.runId}`, args: [child] });
    if (result.status !== 'succeeded') throw new StepFailed(`child run ${child.runId} ${result.status}`);
    return { metadata: { child_run: child.runId }, outputs: { run_id: child.runId } };
  };

  const runChecks = async (node: RunNode) => {
    const acts = stepActivities({ ...node, retry: { ...node.retry, attempts: 1 } });
    for (const check of node.checks) {
      const outcome = await acts.executeCheck({ ...scope, asset: node.name, check, upstream: { ...outputs } }).catch((err) => {
        if (isCancellation(err)) throw err;
        return { name: check.name, severity: check.severity, passed: false, metadata: { error: describe(err) } };
      });
      if (!outcome.passed && check.severity === 'error') blocked.add(node.name);
    }
  };

  for (const node of input.nodes) finished.set(node.name, runNode(node));
  let results: StepStatus[];
  try {
    results = await Promise.all(finished.values());
  } finally {
    // The pipeline-concurrency slot goes back as soon as the steps are done, whatever happened.
    await CancellationScope.nonCancellable(() => releaseRunSlot(input));
  }

  runStatus = results.includes('cancelled') ? 'cancelled' : results.some((s) => s === 'failed') || blocked.size > 0 ? 'failed' : 'succeeded';
  const failed = input.nodes.filter((n) => states[n.name] === 'failed').map((n) => n.name);
  const error = runStatus === 'failed' ? (failed.length ? `failed steps: ${failed.join(', ')}` : `failed error checks on: ${[...blocked].join(', ')}`) : null;
  await CancellationScope.nonCancellable(() => book.recordRun({ runId: input.runId, status: runStatus, error }));
  return { status: runStatus, steps: { ...states }, waiting: [] };
}

function runsOnWorker(node: RunNode): boolean {
  const kind = node.step?.kind;
  return kind === 'command' || kind === 'sql' || kind === 'http' || kind === 'node';
}

function describe(err: unknown): string {
  // Activity failures wrap the step's own error as `cause`: show the user's words, not the wrapper's.
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Durations were validated at compile time; this only reads them (the workflow bundle cannot import runtime code). */
function parseMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}
