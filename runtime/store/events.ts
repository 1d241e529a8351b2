// The append-only event log of a run: logs, state changes, materializations, check results.
// Writers name each event with a natural key, so a retried or replayed batch appends nothing twice.
import { json, type Queryable } from './db.ts';

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

export interface EventRow {
  id: number;
  runId: string;
  step: string | null;
  attempt: number | null;
  kind: string;
  level: EventLevel;
  message: string;
  data: Record<string, unknown> | null;
  ts: Date;
  key: string;
}

export interface NewEvent {
  runId: string;
  /** Unique within the run, e.g. `log:extract:2:stdout:17`. */
  key: string;
  step?: string | null;
  attempt?: number | null;
  kind: string;
  level: EventLevel;
  message: string;
  data?: Record<string, unknown> | null;
  /** When it happened on the worker; defaults to when it was recorded. */
  ts?: Date;
}

// Keeps each statement well under PostgreSQL's 65,535 bind parameters (9 per row).
const CHUNK = 1000;
const LEVELS: EventLevel[] = ['debug', 'info', 'warn', 'error'];

/** Appends events in order; returns how many were new (duplicates by key are skipped). */
export async function appendEvents(sql: Queryable, events: readonly NewEvent[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < events.length; start += CHUNK) {
    const rows = events.slice(start, start + CHUNK).map((event) => ({
      runId: event.runId,
      key: event.key,
      step: event.step ?? null,
      attempt: event.attempt ?? null,
      kind: event.kind,
      level: event.level,
      message: event.message,
      data: event.data == null ? null : json(sql, event.data),
      ts: event.ts ?? new Date(),
    }));
    const result = await sql`
      insert into events ${sql(rows, 'runId', 'key', 'step', 'attempt', 'kind', 'level', 'message', 'data', 'ts')}
      on conflict (run_id, key) do nothing`;
    inserted += result.count;
  }
  return inserted;
}

export interface EventFilter {
  /** Only events after this id (the last one already shown); 0 from the start. */
  afterId?: number;
  limit?: number;
  /** This level and above. */
  level?: EventLevel;
  step?: string;
  /** Case-insensitive substring of the message. */
  text?: string;
}

/** A run's events in the order they were appended; page on with the last id returned. */
export async function listEvents(sql: Queryable, runId: string, filter: EventFilter = {}): Promise<EventRow[]> {
  const limit = Math.min(Math.max(filter.limit ?? 500, 1), 5000);
  const levels = filter.level ? LEVELS.slice(LEVELS.indexOf(filter.level)) : null;
  return sql<EventRow[]>`
    select * from events
    where run_id = ${runId} and id > ${filter.afterId ?? 0}
      ${levels ? sql`and level in ${sql(levels)}` : sql``}
      ${filter.step !== undefined ? sql`and step = ${filter.step}` : sql``}
      ${filter.text ? sql`and message ilike ${'%' + escapeLike(filter.text) + '%'}` : sql``}
    order by id
    limit ${limit}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
