// Backfills: the backfill row and one row per partition, written by the backfill workflow's activities.
// Every write is keyed by (backfill id, partition), so a replayed activity only repeats the same update.
import { json, type Queryable, type Sql } from './db.ts';

export type BackfillStatus = 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';
export type BackfillPartitionStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type Reprocess = 'missing' | 'failed' | 'all';

export interface BackfillRow {
  id: string;
  project: string;
  pipeline: string;
  status: BackfillStatus;
  reprocess: Reprocess;
  parallel: number;
  createdAt: Date;
  finishedAt: Date | null;
  request: Record<string, unknown>;
}

export interface BackfillPartitionRow {
  backfillId: string;
  partition: string;
  position: number;
  runId: string | null;
  status: BackfillPartitionStatus;
  updatedAt: Date;
}

export interface PartitionCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface NewBackfill {
  id: string;
  project: string;
  pipeline: string;
  reprocess: Reprocess;
  parallel: number;
  request: Record<string, unknown>;
  partitions: readonly string[];
}

/** The backfill and all its partitions (pending) in one transaction; a retried call creates nothing new. */
export async function createBackfill(sql: Sql, b: NewBackfill): Promise<boolean> {
  return sql.begin(async (tx) => {
    const inserted = await tx`
      insert into backfills (id, project, pipeline, reprocess, parallel, request)
      values (${b.id}, ${b.project}, ${b.pipeline}, ${b.reprocess}, ${b.parallel}, ${json(tx, b.request)})
      on conflict (id) do nothing`;
    if (inserted.count === 0) return false;
    // Chunks keep each statement's parameter arrays small for backfills of tens of thousands of keys.
    for (let lo = 0; lo < b.partitions.length; lo += 10_000) {
      const chunk = b.partitions.slice(lo, lo + 10_000);
      await tx`
        insert into backfill_partitions (backfill_id, partition, position)
        select ${b.id}, k, p::int - 1 + ${lo}
        from unnest(${tx.array([...chunk])}::text[]) with ordinality as t(k, p)
        on conflict do nothing`;
    }
    return true;
  });
}

export async function getBackfill(sql: Queryable, id: string): Promise<BackfillRow | null> {
  const [row] = await sql<BackfillRow[]>`select * from backfills where id = ${id}`;
  return row ?? null;
}

/** Newest first; `before` pages on the id of the last row seen (ids sort by creation time). */
export async function listBackfills(sql: Queryable, opts: { pipeline?: string; limit?: number; before?: string } = {}): Promise<BackfillRow[]> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  return sql<BackfillRow[]>`
    select * from backfills
    where true
      ${opts.pipeline !== undefined ? sql`and pipeline = ${opts.pipeline}` : sql``}
      ${opts.before !== undefined ? sql`and id < ${opts.before}` : sql``}
    order by created_at desc, id desc
    limit ${limit}`;
}

export async function countPartitions(sql: Queryable, backfillId: string): Promise<PartitionCounts> {
  const rows = await sql<{ status: BackfillPartitionStatus; n: number }[]>`
    select status, count(*)::int as n from backfill_partitions where backfill_id = ${backfillId} group by status`;
  const counts: PartitionCounts = { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const r of rows) {
    counts[r.status] += r.n;
    counts.total += r.n;
  }
  return counts;
}

export async function listBackfillPartitions(sql: Queryable, backfillId: string, status?: BackfillPartitionStatus): Promise<BackfillPartitionRow[]> {
  return sql<BackfillPartitionRow[]>`
    select * from backfill_partitions
    where backfill_id = ${backfillId} ${status !== undefined ? sql`and status = ${status}` : sql``}
    order by position`;
}

/** A partition's run and status. A finished partition is never moved back to running by a late replay. */
export async function setPartitionStatus(
  sql: Queryable,
  input: { backfillId: string; partition: string; status: BackfillPartitionStatus; runId?: string | null },
): Promise<void> {
  await sql`
    update backfill_partitions
    set status = ${input.status}, run_id = coalesce(${input.runId ?? null}, run_id), updated_at = now()
    where backfill_id = ${input.backfillId} and partition = ${input.partition}
      ${input.status === 'running' ? sql`and status in ('pending', 'running')` : sql``}`;
}

/** Running ↔ paused; a finished backfill keeps its final status. */
export async function setBackfillPaused(sql: Queryable, id: string, paused: boolean): Promise<void> {
  await sql`
    update backfills set status = ${paused ? 'paused' : 'running'}
    where id = ${id} and status in ('running', 'paused')`;
}

/** The final status, once; a cancelled backfill's partitions that never started become cancelled. */
export async function finishBackfill(sql: Sql, id: string, status: Extract<BackfillStatus, 'succeeded' | 'failed' | 'cancelled'>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      update backfills set status = ${status}, finished_at = coalesce(finished_at, now())
      where id = ${id} and status in ('running', 'paused')`;
    await tx`
      update backfill_partitions set status = 'cancelled', updated_at = now()
      where backfill_id = ${id} and status = 'pending'`;
  });
}
