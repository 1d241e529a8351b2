// Run admission under pipeline concurrency: one row per run with its key and the decision taken.
import type { Queryable } from './db.ts';

export type ConcurrencyBehavior = 'queue' | 'cancel_new' | 'cancel_running' | 'fail';
export type AdmissionDecision = 'started' | 'queued' | 'cancelled' | 'failed';

export interface RunConcurrencyRow {
  runId: string;
  project: string;
  pipeline: string;
  key: string;
  behavior: ConcurrencyBehavior;
  decision: AdmissionDecision;
  reason: string | null;
  decidedAt: Date;
}

/** Serialises admissions of one pipeline key until the transaction ends, so two starts never both see room. */
export async function lockConcurrencyKey(tx: Queryable, project: string, pipeline: string, key: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify([project, pipeline, key])}, 0))`;
}

/** Runs of the key still queued or running, oldest first, other than `exceptRunId`. */
export async function activeRunsOfKey(tx: Queryable, project: string, pipeline: string, key: string, exceptRunId: string): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`
    select r.id from run_concurrency c join runs r on r.id = c.run_id
    where c.project = ${project} and c.pipeline = ${pipeline} and c.key = ${key}
      and r.status in ('queued', 'running') and r.id <> ${exceptRunId}
      and c.decision in ('started', 'queued')
    order by r.created_at, r.id`;
  return rows.map((r) => r.id);
}

/** The first decision for a run stands: a retried launch records nothing new. */
export async function recordAdmission(
  tx: Queryable,
  row: Omit<RunConcurrencyRow, 'decidedAt'>,
): Promise<RunConcurrencyRow> {
  const [inserted] = await tx<RunConcurrencyRow[]>`
    insert into run_concurrency (run_id, project, pipeline, key, behavior, decision, reason)
    values (${row.runId}, ${row.project}, ${row.pipeline}, ${row.key}, ${row.behavior}, ${row.decision}, ${row.reason})
    on conflict (run_id) do nothing
    returning *`;
  if (inserted) return inserted;
  const [existing] = await tx<RunConcurrencyRow[]>`select * from run_concurrency where run_id = ${row.runId}`;
  return existing!;
}

export async function getAdmission(sql: Queryable, runId: string): Promise<RunConcurrencyRow | null> {
  const [row] = await sql<RunConcurrencyRow[]>`select * from run_concurrency where run_id = ${runId}`;
  return row ?? null;
}
