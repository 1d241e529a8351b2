// Steps of a run and their attempts: the run page's timeline. Writes tolerate replays and arrive
// out of order, so a terminal state is never overwritten by a late "running".
import type { StepStatus } from '../engine/run-input.ts';
import { json, type Queryable } from './db.ts';

export interface StepRow {
  runId: string;
  name: string;
  kind: 'asset' | 'task';
  asset: string | null;
  status: StepStatus;
  /** Attempts started so far. */
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  error: string | null;
  metadata: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface AttemptRow {
  runId: string;
  step: string;
  attempt: number;
  status: AttemptStatus;
  worker: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  exitCode: number | null;
  error: string | null;
}

export interface StepState {
  runId: string;
  name: string;
  kind: 'asset' | 'task';
  asset?: string | null;
  status: StepStatus;
  exitCode?: number | null;
  error?: string | null;
  /** Merged into what is already recorded, so metadata reported in pieces accumulates. */
  metadata?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

const TERMINAL: StepStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

/** Creates or advances a step's state; returns false when a terminal state made it a no-op. */
export async function upsertStepState(sql: Queryable, state: StepState): Promise<boolean> {
  const terminal = TERMINAL.includes(state.status);
  const rows = await sql`
    insert into run_steps as s (run_id, name, kind, asset, status, started_at, finished_at, exit_code, error, metadata, outputs)
    values (${state.runId}, ${state.name}, ${state.kind}, ${state.asset ?? null}, ${state.status},
            ${state.status === 'running' ? sql`now()` : sql`null`}, ${terminal ? sql`now()` : sql`null`},
            ${state.exitCode ?? null}, ${state.error ?? null},
            ${json(sql, state.metadata ?? {})}, ${json(sql, state.outputs ?? {})})
    on conflict (run_id, name) do update set
      status      = excluded.status,
      asset       = coalesce(excluded.asset, s.asset),
      started_at  = coalesce(s.started_at, excluded.started_at),
      finished_at = coalesce(s.finished_at, excluded.finished_at),
      exit_code   = coalesce(excluded.exit_code, s.exit_code),
      error       = coalesce(excluded.error, s.error),
      metadata    = s.metadata || excluded.metadata,
      outputs     = s.outputs || excluded.outputs
    where s.status not in ${sql(TERMINAL)}`;
  return rows.count > 0;
}

/** Records that an attempt began; a replay of the same attempt writes nothing. */
export async function recordAttemptStart(
  sql: Queryable,
  attempt: { runId: string; step: string; attempt: number; worker?: string | null },
): Promise<boolean> {
  const rows = await sql`
    insert into step_attempts (run_id, step, attempt, status, worker)
    values (${attempt.runId}, ${attempt.step}, ${attempt.attempt}, 'running', ${attempt.worker ?? null})
    on conflict (run_id, step, attempt) do nothing`;
  await sql`
    update run_steps set attempts = greatest(attempts, ${attempt.attempt})
    where run_id = ${attempt.runId} and name = ${attempt.step}`;
  return rows.count > 0;
}

/** Records how an attempt ended; the first outcome wins (a start that was never recorded is filled in). */
export async function recordAttemptFinish(
  sql: Queryable,
  attempt: {
    runId: string;
    step: string;
    attempt: number;
    status: Exclude<AttemptStatus, 'running'>;
    exitCode?: number | null;
    error?: string | null;
    worker?: string | null;
  },
): Promise<boolean> {
  const rows = await sql`
    insert into step_attempts as a (run_id, step, attempt, status, worker, finished_at, exit_code, error)
    values (${attempt.runId}, ${attempt.step}, ${attempt.attempt}, ${attempt.status}, ${attempt.worker ?? null},
            now(), ${attempt.exitCode ?? null}, ${attempt.error ?? null})
    on conflict (run_id, step, attempt) do update set
      status = excluded.status,
      finished_at = excluded.finished_at,
      exit_code = excluded.exit_code,
      error = excluded.error,
      worker = coalesce(a.worker, excluded.worker)
    where a.status = 'running'`;
  return rows.count > 0;
}

export interface StepWithAttempts extends StepRow {
  /** Every attempt, oldest first. */
  attemptHistory: AttemptRow[];
}

/** A run's steps in the order they started (not yet started last), each with its attempts. */
export async function listSteps(sql: Queryable, runId: string): Promise<StepWithAttempts[]> {
  const [steps, attempts] = await Promise.all([
    sql<StepRow[]>`
      select * from run_steps where run_id = ${runId}
      order by started_at asc nulls last, name`,
    sql<AttemptRow[]>`
      select * from step_attempts where run_id = ${runId}
      order by step, attempt`,
  ]);
  const byStep = new Map<string, AttemptRow[]>();
  for (const attempt of attempts) {
    const list = byStep.get(attempt.step) ?? [];
    list.push(attempt);
    byStep.set(attempt.step, list);
  }
  return steps.map((step) => ({ ...step, attemptHistory: byStep.get(step.name) ?? [] }));
}

/** Earlier attempts still marked running were abandoned (their worker died): record them as failed. */
export async function closeAbandonedAttempts(sql: Queryable, runId: string, step: string, before: number): Promise<number> {
  const rows = await sql`
    update step_attempts set status = 'failed', finished_at = now(),
      error = 'the worker running this attempt stopped responding; the attempt was retried'
    where run_id = ${runId} and step = ${step} and attempt < ${before} and status = 'running'`;
  return rows.count;
}
