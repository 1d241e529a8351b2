// Helpers for run integration tests: a project written to a temp folder, compiled, deployed, and a
// real worker (the product's activities and workflows) on a task queue of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { compileProject } from '../../runtime/cli/project.ts';
import { followRun } from '../../runtime/cli/follow-run.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import { startRun, type RunsClient } from '../../runtime/engine/runs-client.ts';
import { startWorker, type RunningWorker } from '../../runtime/engine/worker.ts';
import type { Plan } from '../../runtime/spec/plan.ts';
import { connect, type Sql } from '../../runtime/store/db.ts';
import { migrate } from '../../runtime/store/migrate.ts';
import type { RunRow } from '../../runtime/store/runs.ts';
import { vi } from 'vitest';
import { integrationEnv } from './setup/harness.ts';

export interface TestStack {
  root: string;
  plan: Plan;
  sql: Sql;
  rc: RunsClient;
  worker: RunningWorker;
  taskQueue: string;
  run(pipeline: string, opts?: { partition?: string; params?: Record<string, unknown> }): Promise<RunRow>;
  start(pipeline: string, opts?: { partition?: string; params?: Record<string, unknown> }): Promise<string>;
  wait(runId: string): Promise<RunRow>;
  close(): Promise<void>;
}

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

/** Writes `files` (path → text) into a fresh project folder. */
export async function writeProject(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'weir-runs-'));
  await chmod(root, 0o755);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

export async function testStack(files: Record<string, string>, opts: { env?: Record<string, string>; secrets?: Record<string, string>; worker?: boolean } = {}): Promise<TestStack> {
  const env = integrationEnv();
  const root = await writeProject(files);
  const { checked, plan, referenced } = await compileProject(root);
  const sql = connect(env.databaseUrl, { max: 4 });
  await migrate(sql);
  await deployPlan(sql, checked, plan, referenced);
  const taskQueue = `runs-${randomUUID()}`;
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection, namespace: env.namespace });
  const rc: RunsClient = { client, sql, taskQueue };
  const worker = await startWorker({
    temporalAddress: env.temporalAddress,
    namespace: env.namespace,
    taskQueue,
    sql,
    projectRoot: root,
    env: { PATH: process.env.PATH, ...(opts.env ?? {}) },
    secrets: opts.secrets ?? {},
    workflowBundlePath: env.workflowBundlePath,
    shutdownGraceMs: 1_000,
  });
  const start = async (pipeline: string, o: { partition?: string; params?: Record<string, unknown> } = {}) =>
    (await startRun(rc, plan, { pipeline, partition: o.partition ?? null, params: o.params ?? {} }, { kind: 'manual', by: 'test' })).runId;
  const wait = (runId: string) => followRun(sql, runId, quiet, 100);
  return {
    root,
    plan,
    sql,
    rc,
    worker,
    taskQueue,
    start,
    wait,
    run: async (pipeline, o) => wait(await start(pipeline, o)),
    async close() {
      await worker.shutdown().catch(() => undefined);
      await connection.close();
      await sql.end({ timeout: 5 });
    },
  };
}

export const WEIR_YAML = `project: runs-test
specs: [specs]
`;

const bin = new URL('../../runtime/cli/weir.mjs', import.meta.url).pathname;

export interface ProcessStack extends TestStack {
  /** Starts a real `weir worker` process on the stack's task queue, so a test can kill it with SIGKILL. */
  spawnWorker(): ChildProcess;
}

/** A test stack whose work is done only by `weir worker` processes (killed, all of them, on close). */
export async function processStack(specs: string): Promise<ProcessStack> {
  const s = await testStack({ 'weir.yaml': WEIR_YAML, 'specs/main.yaml': specs });
  await s.worker.shutdown();
  const children: ChildProcess[] = [];
  const env = integrationEnv();
  return {
    ...s,
    spawnWorker() {
      const child = spawn(process.execPath, [bin, 'worker', '--project', s.root], {
        env: { ...process.env, DATABASE_URL: env.databaseUrl, TEMPORAL_ADDRESS: env.temporalAddress, TEMPORAL_NAMESPACE: env.namespace, WEIR_TASK_QUEUE: s.taskQueue },
        stdio: 'ignore',
      });
      children.push(child);
      return child;
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await s.close();
    },
  };
}

/**
 * Runs CLI command functions against the suite's stack (found through DATABASE_URL/TEMPORAL_* as in
 * production), with their stdout collected in `out`; the environment and stdout are restored afterwards.
 */
export async function withCli(taskQueue: string, fn: (out: string[]) => Promise<void>): Promise<void> {
  const env = integrationEnv();
  vi.stubEnv('DATABASE_URL', env.databaseUrl);
  vi.stubEnv('TEMPORAL_ADDRESS', env.temporalAddress);
  vi.stubEnv('TEMPORAL_NAMESPACE', env.namespace);
  vi.stubEnv('WEIR_TASK_QUEUE', taskQueue);
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  try {
    await fn(out);
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
}
