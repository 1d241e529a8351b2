// The local stack's Temporal: `temporal server start-dev` with its state in a SQLite file and dynamic
// config that removes the dev server's dispatch throttling, stopped with its whole process group.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from './postgres.ts';

/**
 * Dynamic config for `weir dev` and the tests. The dev server keeps production defaults sized for a
 * multi-host cluster, where each history shard polls its task queues at most 20 times a second; with
 * the dev server's single shard that caps a whole namespace at ~20 dispatch rounds a second, which is
 * the floor of the per-step cost of a chain. Measured in test/bench/temporal-baseline.bench.ts.
 */
export const TUNED_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  // Transfer tasks carry every activity/workflow task to matching; 20 polls/s (default) adds up to
  // 50 ms per step, and the dev server has one shard, so this is the throttle on the whole server.
  'history.transferProcessorMaxPollRPS': 10_000,
  // Timer tasks (activity timeouts, retries' backoff, durable sleeps) poll at 20/s by default too.
  'history.timerProcessorMaxPollRPS': 10_000,
  // Visibility updates (runs list in the UI) would otherwise lag behind a busy fan-out.
  'history.visibilityProcessorMaxPollRPS': 10_000,
  // One partition per task queue: with the default 4, a task can land on a partition whose pollers
  // are elsewhere and waits to be forwarded to the root; one worker host gains nothing from 4.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  // Request rate limits (defaults 1,200–2,400/s) sit close to what a 1,000-wide fan-out issues
  // (schedule, poll, complete, heartbeat per step); lift them so a burst is never rejected/backed off.
  'frontend.rps': 100_000,
  'frontend.namespaceRPS': 100_000,
  'frontend.namespaceBurstRatio': 10,
  'history.rps': 100_000,
  'matching.rps': 100_000,
  // Hand the next activity to the worker in the reply to the workflow task that scheduled it,
  // skipping a trip through matching (a chain's steps are scheduled one at a time).
  'system.enableActivityEagerExecution': true,
  // Likewise the first workflow task of a run can come back in the start call (trigger latency).
  'system.enableEagerWorkflowStart': true,
};

/**
 * The dev server writes `temporal.db` in SQLite's default rollback-journal mode with a full fsync per
 * commit, and every step commits several times. WAL with `synchronous=NORMAL` stays consistent after a
 * crash of the server (only an OS crash can lose the last commits), which is the right trade locally.
 */
export const TUNED_SQLITE_PRAGMAS: Readonly<Record<string, string>> = {
  journal_mode: 'wal',
  synchronous: 'normal',
};

export interface TemporalDevServerOptions {
  /** Path of the `temporal` executable (see findTemporalCli). */
  cli: string;
  /** Folder for `temporal.db`; created if missing; runs survive restarts on the same folder. */
  dataDir: string;
  /** gRPC port; a free one is picked when omitted. */
  port?: number;
  /** Web UI port; a free one is picked when omitted. */
  uiPort?: number;
  /** Namespace created at launch (the dev server always creates `default` too). */
  namespace?: string;
  /** Dynamic config; `TUNED_DYNAMIC_CONFIG` when omitted, `{}` for the dev server's own defaults. */
  dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /** SQLite pragmas for `temporal.db`; `TUNED_SQLITE_PRAGMAS` when omitted. */
  sqlitePragmas?: Readonly<Record<string, string>>;
  /** Receives the server's own output lines. */
  log?: (line: string) => void;
  /** How long to wait for the server to accept work. */
  readyTimeoutMs?: number;
  /** Called if the server dies after it was ready and before stop(), with its last output in the message. */
  onUnexpectedExit?: (error: Error) => void;
}

export interface TemporalDevServer {
  /** `127.0.0.1:<port>`, for `Connection.connect` / `NativeConnection.connect`. */
  address: string;
  namespace: string;
  uiUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export const DEFAULT_NAMESPACE = 'weir';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 30;

// Runs the CLI under a tiny sh parent that holds a pipe from us: when this process dies, even by
// `kill -9`, the pipe closes and the watcher stops the server, so no orphan keeps the ports and the
// SQLite file. The CLI and its arguments travel as "$@", never spliced into the script text.
const WATCHDOG_SCRIPT = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  // stop() sends TERM to this shell only; pass it on once and keep waiting for a clean shutdown.
  'trap \'kill -TERM "$child" 2>/dev/null\' TERM INT HUP',
  '{ read -r _ <&3; kill -TERM "$child" 2>/dev/null; } &',
  'watcher=$!',
  'status=0',
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
  'kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const args = devServerArgs({ dataDir, port, uiPort, namespace, dynamicConfig: options.dynamicConfig, sqlitePragmas: options.sqlitePragmas });

  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'weir-temporal', options.cli, ...args], {
    detached: true, // own process group, so stop() reaches the server and the watcher at once
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const tail = captureOutput(child, options.log);
  const exited = new Promise<string>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (error) => resolveExit(error.message));
  });
  const unguard = guardParentExit(child);
  let stopping = false;
  const stop = once(async () => {
    stopping = true;
    unguard();
    await killGroup(child, exited);
  });

  const address = `${HOST}:${port}`;
  const describe = `the Temporal dev server (${options.cli}, port ${port}, data ${dataDir})`;
  const lastOutput = (): string => (tail.length ? `\nlast server output:\n${tail.join('\n')}` : '');
  try {
    await waitUntilReady(address, namespace, exited, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${describe} did not become ready: ${(error as Error).message}${lastOutput()}`, { cause: error });
  }
  void exited.then((why) => {
    if (stopping) return;
    unguard();
    const error = new Error(`${describe} stopped unexpectedly (${why})${lastOutput()}`);
    if (options.onUnexpectedExit) options.onUnexpectedExit(error);
    else options.log?.(error.message);
  });
  return { address, namespace, uiUrl: `http://${HOST}:${uiPort}`, pid: child.pid ?? -1, stop };
}

/** The `temporal` arguments for a dev server (exported for tests and for `weir dev --dry-run`). */
export function devServerArgs(options: {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  dynamicConfig?: Readonly<Record<string, string | number | boolean>> | undefined;
  sqlitePragmas?: Readonly<Record<string, string>> | undefined;
}): string[] {
  const dynamicConfig = options.dynamicConfig ?? TUNED_DYNAMIC_CONFIG;
  const pragmas = options.sqlitePragmas ?? TUNED_SQLITE_PRAGMAS;
  return [
    'server', 'start-dev',
    '--db-filename', join(options.dataDir, 'temporal.db'),
    '--ip', HOST,
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--log-level', 'error',
    ...Object.entries(pragmas).flatMap(([key, value]) => ['--sqlite-pragma', `${key}=${value}`]),
    // The CLI parses each value as JSON.
    ...Object.entries(dynamicConfig).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
  ];
}

async function waitUntilReady(address: string, namespace: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died: string | undefined;
  void exited.then((why) => (died = why));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (died) throw new Error(`the server exited (${died})`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        // The namespace is registered a moment after the port opens; it is what callers need.
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(`no answer within ${timeoutMs} ms (last error: ${(lastError as Error | undefined)?.message ?? 'none'})`);
}

function captureOutput(child: ChildProcess, log: ((line: string) => void) | undefined): string[] {
  const tail: string[] = [];
  const take = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      log?.(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return tail;
}

async function killGroup(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  // TERM to the shell only (it forwards it once): the server shuts down cleanly, flushing SQLite.
  signalProcess(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  // The sh parent may exit before the server finishes shutting down; make sure nothing is left.
  signalGroup(child.pid, 'SIGKILL');
  child.stdin?.destroy();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  signalProcess(-pid, signal);
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

// A normal exit runs 'exit' handlers; a signal would not, so unless someone else handles it, the common
// ones kill the group first and then take their usual course. `kill -9` is left to the watchdog pipe.
function guardParentExit(child: ChildProcess): () => void {
  const onExit = (): void => {
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    // Another handler (e.g. `weir dev`'s Ctrl-C) owns shutdown and will call stop() gracefully.
    if (process.listenerCount(signal) > 1) return;
    onExit();
    unguard();
    process.kill(process.pid, signal); // nobody else handles it: keep the default behaviour
  };
  const unguard = (): void => {
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);
  return unguard;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
