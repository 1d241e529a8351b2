// Schedule ticks: what each firing of a schedule did (the run it started, or why it did not), newest first.
import type { Queryable } from './db.ts';

export type TickStatus = 'started' | 'skipped' | 'failed';

export interface TickRow {
  project: string;
  schedule: string;
  scheduledAt: Date;
  runId: string | null;
  status: TickStatus;
  reason: string | null;
  recordedAt: Date;
}

export interface NewTick {
  project: string;
  schedule: string;
  scheduledAt: Date;
  runId: string | null;
  status: TickStatus;
  reason: string | null;
}

/** Records a tick; a retried tick activity overwrites its own row with the same outcome, never adds a second. */
export async function recordTick(sql: Queryable, tick: NewTick): Promise<void> {
  await sql`
    insert into schedule_ticks (project, schedule, scheduled_at, run_id, status, reason)
    values (${tick.project}, ${tick.schedule}, ${tick.scheduledAt}, ${tick.runId}, ${tick.status}, ${tick.reason})
    on conflict (project, schedule, scheduled_at)
    do update set run_id = excluded.run_id, status = excluded.status, reason = excluded.reason`;
}

export async function listTicks(sql: Queryable, project: string, schedule: string, limit = 20): Promise<TickRow[]> {
  return sql<TickRow[]>`
    select * from schedule_ticks
    where project = ${project} and schedule = ${schedule}
    order by scheduled_at desc
    limit ${limit}`;
}

/** The latest tick of every schedule of a project. */
export async function lastTicks(sql: Queryable, project: string): Promise<Map<string, TickRow>> {
  const rows = await sql<TickRow[]>`
    select distinct on (schedule) * from schedule_ticks
    where project = ${project}
    order by schedule, scheduled_at desc`;
  return new Map(rows.map((r) => [r.schedule, r]));
}
