// `weir run` and `weir runs …`: launch a run and follow it, list runs, show one, cancel, retry, approve.
import { deployedPlan } from '../engine/deploy.ts';
import { RunRequestError } from '../engine/run-request.ts';
import { approveStep, cancelRun, retryRun, startRun, type RunsClient } from '../engine/runs-client.ts';
import type { Plan } from '../spec/plan.ts';
import { listMaterializationsOfRun, listChecksOfRun } from '../store/run-details.ts';
import { listEvents } from '../store/events.ts';
import { getRun, listRuns, type RunRow } from '../store/runs.ts';
import { listSteps, type StepWithAttempts } from '../store/steps.ts';
import { compileProject } from './project.ts';
import { connectStack, resolveStack, type StackClients } from './stack.ts';
import { UsageError } from './usage-error.ts';
import { followRun } from './follow-run.ts';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkRunId(id: string): string {
  if (!RUN_ID.test(id)) throw new UsageError(`not a run id: ${JSON.stringify(id)}`);
  return id;
}

/** Parses repeated `--param k=v` options. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param takes name=value, got ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export async function withStack<T>(projectOpt: string, fn: (stack: StackClients, project: string, root: string) => Promise<T>): Promise<T> {
  const { root, plan } = await compileProject(projectOpt);
  const stack = await connectStack(resolveStack(root, plan.project));
  try {
    return await fn(stack, plan.project, root);
  } finally {
    await stack.close();
  }
}

async function requirePlan(stack: StackClients, project: string): Promise<Plan> {
  const plan = await deployedPlan(stack.sql, project);
  if (!plan) throw new UsageError(`project ${project} is not deployed yet: run \`weir deploy\` (weir dev deploys on start)`);
  return plan;
}

const rc = (stack: StackClients): RunsClient => ({ client: stack.client, sql: stack.sql, taskQueue: stack.info.taskQueue });

export interface RunOptions {
  project: string;
  partition?: string;
  param: string[];
  select?: string;
  detach?: boolean;
}

/** Starts a run on the stack and follows it; returns the exit status (0 succeeded, 1 otherwise). */
export async function launchAndFollow(stack: StackClients, plan: Plan, pipeline: string, opts: RunOptions): Promise<number> {
  let runId: string;
  try {
    const input = await startRun(rc(stack), plan, { pipeline, partition: opts.partition ?? null, params: parseParams(opts.param), select: opts.select ?? null }, { kind: 'manual', by: process.env.USER ?? 'cli' });
    runId = input.runId;
  } catch (err) {
    if (err instanceof RunRequestError) throw new UsageError(err.message);
    throw err;
  }
  process.stderr.write(`run ${runId} started (${pipeline}${opts.partition ? ` ${opts.partition}` : ''})\n`);
  return followOrDetach(stack, runId, opts.detach);
}

/** Follows the run to its end (exit status 0 only if it succeeded), or just prints its id. */
async function followOrDetach(stack: StackClients, runId: string, detach: boolean | undefined): Promise<number> {
  const status = detach ? 'succeeded' : (await followRun(stack.sql, runId, process.stderr)).status;
  process.stdout.write(`${runId}\n`);
  return status === 'succeeded' ? 0 : 1;
}

export async function runCommand(pipeline: string, opts: RunOptions & { ephemeral?: boolean }): Promise<void> {
  if (opts.ephemeral) {
    const { runEphemeral } = await import('./run-ephemeral.ts');
    process.exitCode = await runEphemeral(pipeline, opts);
    return;
  }
  process.exitCode = await withStack(opts.project, async (stack, project) => launchAndFollow(stack, await requirePlan(stack, project), pipeline, opts));
}

export async function runsListCommand(opts: { project: string; format: 'text' | 'json'; pipeline?: string; status?: string; limit: string }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
    const page = await listRuns(stack.sql, { pipeline: opts.pipeline, status: opts.status as RunRow['status'] | undefined, limit });
    if (opts.format === 'json') {
      process.stdout.write(JSON.stringify(page.runs.map(runJson), null, 2) + '\n');
      return;
    }
    for (const r of page.runs) {
      process.stdout.write(`${r.id}  ${r.status.padEnd(9)}  ${r.pipeline}${r.partition ? ` [${r.partition}]` : ''}  ${r.createdAt.toISOString()}\n`);
    }
  });
}

function runJson(r: RunRow) {
  return {
    id: r.id,
    status: r.status,
    pipeline: r.pipeline,
    partition: r.partition,
    params: r.params,
    planHash: r.planHash,
    trigger: r.trigger,
    retryOf: r.retryOf,
    parentRunId: r.parentRunId,
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}

export async function runDetails(stack: StackClients, id: string) {
  const run = await getRun(stack.sql, checkRunId(id));
  if (!run) throw new UsageError(`no run ${id}`);
  const [steps, checks, materializations] = await Promise.all([listSteps(stack.sql, id), listChecksOfRun(stack.sql, id), listMaterializationsOfRun(stack.sql, id)]);
  return {
    ...runJson(run),
    steps: steps.map((s: StepWithAttempts) => ({
      name: s.name,
      kind: s.kind,
      status: s.status,
      attempts: s.attempts,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      durationMs: s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null,
      exitCode: s.exitCode,
      error: s.error,
      metadata: s.metadata,
      outputs: s.outputs,
      attemptHistory: s.attemptHistory.map((a) => ({ attempt: a.attempt, status: a.status, worker: a.worker, startedAt: a.startedAt, finishedAt: a.finishedAt, exitCode: a.exitCode, error: a.error })),
      checks: checks.filter((c) => c.asset === s.name).map((c) => ({ name: c.checkName, passed: c.passed, severity: c.severity, metadata: c.metadata })),
      materializations: materializations.filter((m) => m.asset === s.name).map((m) => ({ partition: m.partition || null, metadata: m.metadata, fingerprint: m.fingerprint })),
    })),
  };
}

export async function runsShowCommand(id: string, opts: { project: string; format: 'text' | 'json'; logs?: boolean }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    const details = await runDetails(stack, id);
    if (opts.format === 'json') {
      process.stdout.write(JSON.stringify(details, null, 2) + '\n');
      return;
    }
    const out: string[] = [`run ${details.id}  ${details.status}  ${details.pipeline}${details.partition ? ` [${details.partition}]` : ''}  plan ${details.planHash.slice(0, 12)}`];
    if (details.error) out.push(`  error: ${details.error}`);
    for (const s of details.steps) {
      const took = s.durationMs === null ? '' : ` ${(s.durationMs / 1000).toFixed(1)}s`;
      out.push(`  ${s.status.padEnd(9)} ${s.name}${took}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}${s.error ? ` — ${s.error}` : ''}`);
      for (const c of s.checks) out.push(`            check ${c.name}: ${c.passed ? 'passed' : 'FAILED'} (${c.severity})`);
      if (Object.keys(s.metadata).length) out.push(`            metadata ${JSON.stringify(s.metadata)}`);
    }
    if (opts.logs) {
      for (const e of await listEvents(stack.sql, details.id, { limit: 10_000 })) out.push(`  ${e.ts.toISOString()} ${e.level.padEnd(5)} ${e.step ?? '-'}: ${e.message}`);
    }
    process.stdout.write(out.join('\n') + '\n');
  });
}

export async function runsCancelCommand(id: string, opts: { project: string }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    const run = await cancelRun(rc(stack), checkRunId(id));
    process.stdout.write(run.status === 'queued' || run.status === 'running' ? `cancelling run ${id}\n` : `run ${id} already ${run.status}\n`);
  });
}

export async function runsRetryCommand(id: string, opts: { project: string; detach?: boolean }): Promise<void> {
  process.exitCode = await withStack(opts.project, async (stack, project) => {
    let runId: string;
    try {
      runId = (await retryRun(rc(stack), await requirePlan(stack, project), checkRunId(id), process.env.USER ?? 'cli')).runId;
    } catch (err) {
      if (err instanceof RunRequestError) throw new UsageError(err.message);
      throw err;
    }
    process.stderr.write(`run ${runId} retries ${id} from its failure\n`);
    return followOrDetach(stack, runId, opts.detach);
  });
}

export async function runsApproveCommand(id: string, step: string, opts: { project: string; reject?: boolean; comment?: string }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    try {
      await approveStep(rc(stack), checkRunId(id), step, !opts.reject, process.env.USER ?? 'cli', opts.comment);
    } catch (err) {
      throw new UsageError(`cannot ${opts.reject ? 'reject' : 'approve'} ${step} of run ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.stdout.write(`${opts.reject ? 'rejected' : 'approved'} ${step} of run ${id}\n`);
  });
}
