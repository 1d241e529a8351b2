// A mistake in how a command was called (exit status 2), as opposed to a problem in the project.
export class UsageError extends Error {
  override name = 'UsageError';
}
