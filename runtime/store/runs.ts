// Runs: one row per pipeline run, from queued to a terminal status, listed newest first for the console.
import type { RunStatus } from '../engine/run-input.ts';
import { json, type Queryable } from './db.ts';

export type TriggerKind = 'manual' | 'schedule' | 'sensor' | 'backfill' | 'automation' | 'retry';

/** Who or what started a run; `by` names the user, schedule, sensor, backfill or run behind it. */
export interface RunTrigger {
  kind: TriggerKind;
  by?: string | null;
  [detail: string]: unknown;
}

export interface RunRow {
  id: string;
  project: string;
  pipeline: string;
  status: RunStatus;
  partition: string | null;
  params: Record<string, unknown>;
  planHash: string;
  trigger: RunTrigger;
  parentRunId: string | null;
  retryOf: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewRun {
  id: string;
  project: string;
  pipeline: string;
  partition?: string | null;
  params?: Record<string, unknown>;
  planHash: string;
  trigger: RunTrigger;
  parentRunId?: string | null;
  retryOf?: string | null;
}

export type FinalRunStatus = Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>;

/** Inserts a queued run; a second call with the same id (a retried launch) returns the existing row. */
export async function createRun(sql: Queryable, run: NewRun): Promise<{ run: RunRow; created: boolean }> {
  const [inserted] = await sql<RunRow[]>`
    insert into runs (id, project, pipeline, partition, params, plan_hash, trigger, parent_run_id, retry_of)
    values (${run.id}, ${run.project}, ${run.pipeline}, ${run.partition ?? null}, ${json(sql, run.params ?? {})},
            ${run.planHash}, ${json(sql, run.trigger)}, ${run.parentRunId ?? null}, ${run.retryOf ?? null})
    on conflict (id) do nothing
    returning *`;
  if (inserted) return { run: inserted, created: true };
  const existing = await getRun(sql, run.id);
  if (!existing) throw new Error(`run ${run.id} vanished while being created`);
  return { run: existing, created: false };
}

/** Moves a queued run to running; a replay, or a run already finished, is left as it is. */
export async function markRunStarted(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`
    update runs set status = 'running', started_at = coalesce(started_at, now())
    where id = ${id} and status = 'queued'`;
  return rows.count > 0;
}

/** Records the final status once: the first terminal status wins, replays change nothing. */
export async function finishRun(
  sql: Queryable,
  id: string,
  status: FinalRunStatus,
  error: string | null = null,
): Promise<boolean> {
  const rows = await sql`
    update runs set status = ${status}, error = ${error}, finished_at = now()
    where id = ${id} and status in ('queued', 'running')`;
  return rows.count > 0;
}

export async function getRun(sql: Queryable, id: string): Promise<RunRow | null> {
  const [row] = await sql<RunRow[]>`select * from runs where id = ${id}`;
  return row ?? null;
}

export interface RunFilter {
  pipeline?: string;
  status?: RunStatus;
  partition?: string;
  /** Created at or after. */
  since?: Date;
  /** Created before. */
  until?: Date;
}

export interface RunPage {
  runs: RunRow[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while runs are added. */
export async function listRuns(
  sql: Queryable,
  options: RunFilter & { cursor?: string | null; limit?: number } = {},
): Promise<RunPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await sql<RunRow[]>`
    select * from runs
    where true
      ${options.pipeline !== undefined ? sql`and pipeline = ${options.pipeline}` : sql``}
      ${options.status !== undefined ? sql`and status = ${options.status}` : sql``}
      ${options.partition !== undefined ? sql`and partition = ${options.partition}` : sql``}
      ${options.since ? sql`and created_at >= ${options.since}` : sql``}
      ${options.until ? sql`and created_at < ${options.until}` : sql``}
      ${after ? sql`and (created_at, id) < (${after.createdAt}, ${after.id})` : sql``}
    order by created_at desc, id desc
    limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { runs: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

interface RunCursor {
  createdAt: Date;
  id: string;
}

// Opaque to clients; created_at keeps milliseconds only (timestamptz(3)), so a Date carries it exactly.
function encodeCursor(row: Pick<RunRow, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export class InvalidCursorError extends Error {
  constructor(readonly cursor: string) {
    super('the page cursor is not valid; start again from the first page');
    this.name = 'InvalidCursorError';
  }
}

function decodeCursor(cursor: string): RunCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const createdAt = new Date(value[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: value[1] };
    }
  } catch {
    // Falls through to the typed error below.
  }
  throw new InvalidCursorError(cursor);
}
