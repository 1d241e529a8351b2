// `weir backfill` and `weir backfills …`: start a backfill (prints its id), list, show, pause, resume,
// cancel, and retry only the failed partitions.
import { deployedPlan } from '../engine/deploy.ts';
import { cancelBackfill, pauseBackfill, resumeBackfill, retryFailedPartitions, startBackfill } from '../engine/backfills.ts';
import { RunRequestError } from '../engine/run-request.ts';
import type { RunsClient } from '../engine/runs-client.ts';
import type { Plan } from '../spec/plan.ts';
import { countPartitions, getBackfill, listBackfills, type BackfillRow, type PartitionCounts, type Reprocess } from '../store/backfills.ts';
import { parseParams, withStack } from './runs.ts';
import type { StackClients } from './stack.ts';
import { UsageError } from './usage-error.ts';

const BACKFILL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REPROCESS: readonly Reprocess[] = ['missing', 'failed', 'all'];

export interface BackfillOptions {
  project: string;
  from?: string;
  to?: string;
  /** Comma-separated keys. */
  partitions?: string;
  reprocess?: string;
  parallel?: string;
  batch?: string;
  param?: string[];
}

const rc = (stack: StackClients): RunsClient => ({ client: stack.client, sql: stack.sql, taskQueue: stack.info.taskQueue });

async function requirePlan(stack: StackClients, project: string): Promise<Plan> {
  const plan = await deployedPlan(stack.sql, project);
  if (!plan) throw new UsageError(`project ${project} is not deployed yet: run \`weir deploy\` (weir dev deploys on start)`);
  return plan;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`${flag} must be a whole number from 1 to 10000, got ${JSON.stringify(text)}`);
  return n;
}

function checkId(id: string): string {
  if (!BACKFILL_ID.test(id)) throw new UsageError(`not a backfill id: ${JSON.stringify(id)}`);
  return id;
}

/** Domain errors are the caller's mistake here: exit status 2 with the message. */
async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RunRequestError) throw new UsageError(err.message);
    throw err;
  }
}

/** Starts a backfill and prints its id alone on stdout. */
export async function backfillCommand(pipeline: string, opts: BackfillOptions): Promise<void> {
  const reprocess = (opts.reprocess ?? 'missing') as Reprocess;
  if (!REPROCESS.includes(reprocess)) throw new UsageError(`--reprocess must be one of ${REPROCESS.join(', ')}`);
  const partitions = opts.partitions ? opts.partitions.split(',').map((k) => k.trim()).filter(Boolean) : null;
  if (!partitions && !opts.from && !opts.to) throw new UsageError('give the partitions to backfill: --from/--to or --partitions k1,k2');
  const parallel = wholeNumber('--parallel', opts.parallel, 4);
  const batch = wholeNumber('--batch', opts.batch, 1);
  await withStack(opts.project, async (stack, project) => {
    const plan = await requirePlan(stack, project);
    const id = await asUsage(() =>
      startBackfill(rc(stack), plan, { pipeline, from: opts.from ?? null, to: opts.to ?? null, partitions, reprocess, parallel, batch, params: parseParams(opts.param ?? []) }, { by: process.env.USER ?? 'cli' }),
    );
    process.stdout.write(`${id}\n`);
  });
}

export interface BackfillJson {
  id: string;
  status: BackfillRow['status'];
  pipeline: string;
  project: string;
  reprocess: Reprocess;
  parallel: number;
  partitions: PartitionCounts;
  createdAt: Date;
  finishedAt: Date | null;
  request: Record<string, unknown>;
}

export async function backfillJson(stack: StackClients, row: BackfillRow): Promise<BackfillJson> {
  return {
    id: row.id,
    status: row.status,
    pipeline: row.pipeline,
    project: row.project,
    reprocess: row.reprocess,
    parallel: row.parallel,
    partitions: await countPartitions(stack.sql, row.id),
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    request: row.request,
  };
}

function line(b: BackfillJson): string {
  const p = b.partitions;
  return `${b.id}  ${b.status.padEnd(9)}  ${b.pipeline}  ${p.succeeded}/${p.total} succeeded, ${p.failed} failed, ${p.running} running, ${p.pending} pending  ${b.createdAt.toISOString()}`;
}

export async function backfillsListCommand(opts: { project: string; pipeline?: string; limit?: string; format?: 'text' | 'json' }): Promise<void> {
  const limit = wholeNumber('--limit', opts.limit, 50);
  await withStack(opts.project, async (stack) => {
    const rows = await listBackfills(stack.sql, { pipeline: opts.pipeline, limit: Math.min(limit, 500) });
    const list = await Promise.all(rows.map((r) => backfillJson(stack, r)));
    if (opts.format === 'json') process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    else process.stdout.write(list.map((b) => line(b) + '\n').join(''));
  });
}

export async function backfillsShowCommand(id: string, opts: { project: string; format?: 'text' | 'json' }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    const row = await getBackfill(stack.sql, checkId(id));
    if (!row) throw new UsageError(`no backfill ${id}`);
    const b = await backfillJson(stack, row);
    if (opts.format === 'json') process.stdout.write(JSON.stringify(b, null, 2) + '\n');
    else process.stdout.write(line(b) + '\n');
  });
}

export async function backfillsPauseCommand(id: string, opts: { project: string }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    await asUsage(() => pauseBackfill(rc(stack), checkId(id)));
    process.stdout.write(`pausing backfill ${id}: running runs finish, no new ones start\n`);
  });
}

export async function backfillsResumeCommand(id: string, opts: { project: string }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    await asUsage(() => resumeBackfill(rc(stack), checkId(id)));
    process.stdout.write(`resuming backfill ${id}\n`);
  });
}

export async function backfillsCancelCommand(id: string, opts: { project: string }): Promise<void> {
  await withStack(opts.project, async (stack) => {
    await asUsage(() => cancelBackfill(rc(stack), checkId(id)));
    process.stdout.write(`cancelling backfill ${id}\n`);
  });
}

/** A new backfill over the failed partitions of `id`; prints the new id alone on stdout. */
export async function backfillsRetryCommand(id: string, opts: { project: string; parallel?: string }): Promise<void> {
  await withStack(opts.project, async (stack, project) => {
    const plan = await requirePlan(stack, project);
    const parallel = opts.parallel === undefined ? undefined : wholeNumber('--parallel', opts.parallel, 4);
    const newId = await asUsage(() => retryFailedPartitions(rc(stack), plan, checkId(id), { ...(parallel ? { parallel } : {}), by: process.env.USER ?? 'cli' }));
    process.stdout.write(`${newId}\n`);
  });
}
