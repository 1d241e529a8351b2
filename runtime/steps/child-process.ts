// Runs one child process for a step: its own process group (so cancellation reaches grandchildren),
// output streamed into the step's log line by line, heartbeats while it runs, and a clean kill on abort.
import { spawn } from 'node:child_process';
import { createLineSplitter } from './line-splitter.ts';
import { StepError, cancellation } from './step-context.ts';
import type { StepContext } from './step-context.ts';

/** Between SIGTERM and SIGKILL when a step is stopped. */
export const KILL_GRACE_MS = 2_000;
export const HEARTBEAT_MS = 5_000;
/** Lines of stderr kept for the failure message. */
export const STDERR_TAIL_LINES = 20;

/** Variables of the worker a child sees; everything else (credentials included) stays out unless the spec passes it. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'] as const;

export interface ChildSpec {
  file: string;
  args: string[];
  cwd: string;
  /** Added to the inherited variables. */
  env: Record<string, string>;
}

export interface ChildExit {
  pid: number;
  exitCode: number | null;
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null;
  stderrTail: string[];
}

/** The minimal environment every step child gets. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Runs the child to its end; throws `StepCancelledError` when `ctx.signal` stopped it. */
export async function runChild(ctx: StepContext, spec: ChildSpec): Promise<ChildExit> {
  const child = spawn(spec.file, spec.args, {
    cwd: spec.cwd,
    env: { ...baseEnv(), ...spec.env },
    detached: true, // a new process group: one kill(-pid) reaches everything the step started
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderrTail: string[] = [];
  const stdout = createLineSplitter((message) => ctx.log({ level: 'info', message, stream: 'stdout' }));
  const stderr = createLineSplitter((message) => {
    ctx.log({ level: 'info', message, stream: 'stderr' });
    stderrTail.push(message);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    killGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
  };
  ctx.heartbeat();
  const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new StepError(`program \`${spec.file}\` was not found`, { retryable: false, cause: error }) : error),
      );
      // A step's processes do not outlive it: when the leader exits, stragglers still holding the
      // pipes are killed, which also lets 'close' fire.
      child.once('exit', () => killGroup(child.pid, 'SIGKILL'));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    stdout.end();
    stderr.end();
    if (ctx.signal.aborted) throw cancellation(ctx.signal);
    return { pid: child.pid ?? -1, exitCode: code, signal, stderrTail };
  } finally {
    clearInterval(beat);
    clearTimeout(killTimer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
