// The narrow world a step executor sees (Kestra's RunContext idea): executors never import Temporal,
// so they run the same under a worker activity, a test, or `weir run --ephemeral`.
import type { Sql } from 'postgres';
import type { StepReport } from '../engine/run-input.ts';
import type { Values } from '../spec/expressions.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogLine {
  level: LogLevel;
  message: string;
  stream?: 'stdout' | 'stderr';
}

export interface StepContext {
  runId: string;
  step: string;
  attempt: number;
  /** Files (SQL, scripts, modules) are relative to it; a path that leaves it is refused. */
  projectRoot: string;
  /** What `${…}` resolves to: partition, params, upstream outputs, env, secrets, run. */
  values: Values;
  /** Resources as declared; their strings may hold `${env.X}`/`${secret.X}`, rendered with `values` when used. */
  resources: Record<string, Record<string, unknown>>;
  /** Aborted when the run is cancelled or the activity times out; its `reason` says which. */
  signal: AbortSignal;
  /** The context redacts secrets itself (see `createRedactor`), so executors may log what they read. */
  log(line: LogLine): void;
  heartbeat(details?: unknown): void;
  /** A pooled client for a `postgres` resource, its URL rendered with `values`. */
  sql(resource: string): Sql;
  /** Metadata and outputs larger than this (as JSON) fail the step; they are never truncated. */
  outputLimitBytes: number;
  /** For `wait` steps on an asset partition: provided by workers that reach the store. */
  isMaterialized?(asset: string, partition: string | null): Promise<boolean>;
}

export interface StepExecutor<S extends { kind: string }> {
  kind: S['kind'];
  execute(ctx: StepContext, spec: S): Promise<StepReport>;
}

/** The user's failure: a non-zero exit, an SQL error, an unexpected HTTP status. `retryable` feeds the retry policy. */
export class StepError extends Error {
  override readonly name = 'StepError';
  readonly retryable: boolean;
  readonly exitCode: number | undefined;
  constructor(message: string, opts: { retryable: boolean; exitCode?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable;
    this.exitCode = opts.exitCode;
  }
}

/** The step stopped because its signal was aborted: the run was cancelled or the attempt timed out. */
export class StepCancelledError extends Error {
  override readonly name = 'StepCancelledError';
  constructor(readonly reason: 'cancelled' | 'timeout') {
    super(reason === 'timeout' ? 'the step timed out and was stopped' : 'the step was cancelled and stopped');
  }
}

/** Why `signal` was aborted: a `TimeoutError` reason (as `AbortSignal.timeout` gives) means a timeout. */
export function cancellation(signal: AbortSignal): StepCancelledError {
  const reason: unknown = signal.reason;
  const timeout = typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
  return new StepCancelledError(timeout ? 'timeout' : 'cancelled');
}
