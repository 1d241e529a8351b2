// PostgreSQL errors as step failures: transient classes are retried, the user's mistakes are not.
import { StepError } from './step-context.ts';

// SQLSTATE classes worth another attempt: connection exceptions, serialization failures and deadlocks,
// insufficient resources, operator intervention (shutdown, cancel by admin), system errors.
const RETRYABLE_CLASSES = new Set(['08', '40', '53', '57', '58']);

export function sqlFailure(error: unknown): StepError {
  const e = error as { code?: unknown; message?: unknown; position?: unknown; hint?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code)) {
    // Not from the server: a refused connection, a dropped socket.
    return new StepError(`the database could not be reached: ${message}`, { retryable: true, cause: error });
  }
  const hint = code === '42601' && /multiple commands/.test(message)
    ? ' (statements with `${…}` run one at a time: split them into steps, or drop the expressions to run a script)'
    : typeof e.hint === 'string' ? ` (hint: ${e.hint})` : '';
  const at = typeof e.position === 'string' ? ` at character ${e.position}` : '';
  return new StepError(`SQL failed${at}: ${message} [${code}]${hint}`, { retryable: RETRYABLE_CLASSES.has(code.slice(0, 2)), cause: error });
}
