// A StepContext for tests: records logs and heartbeats, redacts like a worker's context, pools SQL clients.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { Sql } from 'postgres';
import { renderString } from '../../runtime/spec/expressions.ts';
import type { Values } from '../../runtime/spec/expressions.ts';
import { createRedactor, secretsOf } from '../../runtime/steps/redact-log.ts';
import type { LogLine, StepContext } from '../../runtime/steps/step-context.ts';

export interface TestContext {
  ctx: StepContext;
  logs: LogLine[];
  heartbeats: unknown[];
  controller: AbortController;
  close(): Promise<void>;
}

export interface TestContextOptions {
  projectRoot?: string;
  values?: Values;
  resources?: Record<string, Record<string, unknown>>;
  outputLimitBytes?: number;
  signal?: AbortSignal;
  isMaterialized?: (asset: string, partition: string | null) => Promise<boolean>;
}

export function testContext(opts: TestContextOptions = {}): TestContext {
  const values = opts.values ?? {};
  const resources = opts.resources ?? {};
  const redactor = createRedactor(secretsOf(values));
  const logs: LogLine[] = [];
  const heartbeats: unknown[] = [];
  const controller = new AbortController();
  const pools = new Map<string, Sql>();
  const ctx: StepContext = {
    runId: 'run-test',
    step: 'step-test',
    attempt: 1,
    projectRoot: opts.projectRoot ?? process.cwd(),
    values,
    resources,
    signal: opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal,
    log: (line) => logs.push({ ...line, message: redactor.redact(line.message) }),
    heartbeat: (details) => heartbeats.push(details),
    sql(name) {
      let sql = pools.get(name);
      if (!sql) {
        const url = resources[name]?.url;
        if (typeof url !== 'string') throw new Error(`no postgres resource ${name}`);
        sql = postgres(renderString(url, values).value, { max: 4, onnotice: () => {} });
        pools.set(name, sql);
      }
      return sql;
    },
    outputLimitBytes: opts.outputLimitBytes ?? 1_000_000,
  };
  if (opts.isMaterialized) ctx.isMaterialized = opts.isMaterialized;
  return {
    ctx,
    logs,
    heartbeats,
    controller,
    async close() {
      await Promise.all([...pools.values()].map((sql) => sql.end({ timeout: 1 })));
    },
  };
}

export async function tempProject(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'weir-steps-project-'));
}

/** Gone, or a zombie waiting for a reaper that this container may not run: either way not running. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Resolves when `predicate` holds, polling every 20 ms, or rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
