// The guarantees every executor gives, whatever its kind: secrets never leave in errors, metadata or
// outputs, results fit the output limit, and failures are typed (StepError or StepCancelledError).
import type { StepReport } from '../engine/run-input.ts';
import { ExpressionError } from '../spec/expressions.ts';
import { createRedactor, secretsOf } from './redact-log.ts';
import { StepCancelledError, StepError, cancellation } from './step-context.ts';
import type { StepContext, StepExecutor } from './step-context.ts';

/** Builds an executor whose `execute` runs through `guardStep`. */
export function defineExecutor<S extends { kind: string }>(
  kind: S['kind'],
  execute: (ctx: StepContext, spec: S) => Promise<StepReport>,
): StepExecutor<S> {
  return { kind, execute: (ctx, spec) => guardStep(ctx, () => execute(ctx, spec)) };
}

/** Runs `work`, redacting its result and any error, and failing results larger than `ctx.outputLimitBytes`. */
export async function guardStep<T>(ctx: StepContext, work: () => Promise<T>): Promise<T> {
  const redactor = createRedactor(secretsOf(ctx.values));
  let result: T;
  try {
    if (ctx.signal.aborted) throw cancellation(ctx.signal);
    result = await work();
  } catch (error) {
    throw redactedError(error, redactor.redact);
  }
  const json = JSON.stringify(result) ?? '';
  const size = Buffer.byteLength(json);
  if (size > ctx.outputLimitBytes) {
    throw new StepError(
      `the step's metadata and outputs take ${size} bytes as JSON, more than the limit of ${ctx.outputLimitBytes}: report less (a path or a count instead of the data)`,
      { retryable: false },
    );
  }
  return redactor.redactJson(result);
}

function redactedError(error: unknown, redact: (text: string) => string): Error {
  if (error instanceof StepCancelledError) return error;
  if (error instanceof StepError) {
    const opts: { retryable: boolean; exitCode?: number; cause?: unknown } = { retryable: error.retryable };
    if (error.exitCode !== undefined) opts.exitCode = error.exitCode;
    // The cause may be a driver error quoting a bound value: keep its words, redacted, not the object.
    if (error.cause instanceof Error) opts.cause = new Error(redact(error.cause.message));
    return new StepError(redact(error.message), opts);
  }
  // A reference without a value in this run is the spec's fault: retrying will not give it one.
  if (error instanceof ExpressionError) return new StepError(error.message, { retryable: false });
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StepError(redact(message), { retryable: true });
}
