// Pools across runs and pipeline `concurrency`, on the real Temporal dev server and PostgreSQL.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installRoot } from '../../runtime/install-root.ts';
import { createRunActivities } from '../../runtime/engine/activities.ts';
import { launchRun, type Admission } from '../../runtime/engine/concurrency.ts';
import { createPoolActivities } from '../../runtime/engine/pool-activities.ts';
import { cancelRun, prepareRun } from '../../runtime/engine/runs-client.ts';
import { getAdmission } from '../../runtime/store/concurrency.ts';
import { listEvents } from '../../runtime/store/events.ts';
import { getRun } from '../../runtime/store/runs.ts';
import { testStack, type TestStack } from './runs-helpers.ts';
import { integrationEnv } from './setup/harness.ts';

const PROJECT = 'concurrency-test';
const WEIR = `project: ${PROJECT}
specs: [specs]
pools:
  two: { limit: 2 }
  one: { limit: 1 }
`;
const sleepStep = (ms: number) => `{ kind: command, run: [node, -e, "setTimeout(() => {}, ${ms})"] }`;
const SPECS = `
assets:
  serial_load:
    step: ${sleepStep(1000)}
  solo_load:
    step: ${sleepStep(2500)}
  long_load:
    step: ${sleepStep(20000)}
pipelines:
  serial:
    select: serial_load
    concurrency: { limit: 1, behavior: queue }
  solo:
    select: solo_load
    concurrency: { limit: 1, behavior: cancel_new }
  latest_wins:
    select: long_load
    concurrency: { limit: 1, behavior: cancel_running }
  strict:
    select: solo_load
    concurrency: { limit: 1, behavior: fail }
  per_region:
    select: serial_load
    params:
      region: { type: string, default: eu }
    concurrency: { limit: 1, key: "\${params.region}", behavior: cancel_new }
`;

const PROBE_WORKFLOWS = new URL('./pool-probe-workflows.ts', import.meta.url).pathname;
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let s: TestStack;
let worker: Worker;
let running: Promise<void>;
let connection: NativeConnection;
const intervals: { runId: string; step: string; start: number; end: number }[] = [];

beforeAll(async () => {
  s = await testStack({ 'weir.yaml': WEIR, 'specs/main.yaml': SPECS });
  // The stack's worker lacks the pool activities and probe workflows: ours replaces it on its queue.
  await s.worker.shutdown();
  const dir = await mkdtemp(join(tmpdir(), 'weir-pools-'));
  const entry = join(dir, 'entry.ts');
  await writeFile(entry, [join(installRoot, 'workflows', 'index.ts'), PROBE_WORKFLOWS].map((f) => `export * from ${JSON.stringify(f)};\n`).join(''));
  const { code } = await bundleWorkflowCode({
    workflowsPath: entry,
    logger: quiet,
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? ['node_modules']), join(installRoot, 'node_modules')] } }),
  });
  const env = integrationEnv();
  connection = await NativeConnection.connect({ address: env.temporalAddress });
  worker = await Worker.create({
    connection,
    namespace: env.namespace,
    taskQueue: s.taskQueue,
    workflowBundle: { code },
    activities: {
      ...createRunActivities({ sql: s.sql, workerId: 'concurrency-test', projectRoot: s.root, env: { PATH: process.env.PATH }, secrets: {}, resourcePools: new Map<string, postgres.Sql>(), outputLimitBytes: 1_000_000 }),
      ...createPoolActivities({ sql: s.sql }),
      async probeStep(input: { runId: string; step: string; ms: number }) {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, input.ms));
        intervals.push({ runId: input.runId, step: input.step, start, end: Date.now() });
      },
    },
  });
  running = worker.run();
});

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await connection?.close();
  await s?.close();
});

/** The most intervals open at one instant; an end at the same millisecond as a start closes first. */
function maxInFlight(list: { start: number; end: number }[]): number {
  const edges = list.flatMap((i) => [[i.start, 1] as const, [i.end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (open += d));
  return max;
}

/** What `startRun` does once wired to `launchRun`: the run row first, then admission. */
async function launch(pipeline: string, params: Record<string, unknown> = {}): Promise<{ runId: string; admission: Admission }> {
  const input = await prepareRun(s.sql, s.plan, { pipeline, params }, { kind: 'manual', by: 'test' });
  return { runId: input.runId, admission: await launchRun(s.rc, s.plan, input) };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('never has more than 2 steps in flight in a pool of 2 under 20 competing steps from 5 runs', async () => {
  const runs = Array.from({ length: 5 }, (_, i) => `pool-run-${i}`);
  const started = performance.now();
  await Promise.all(
    runs.map((runId) =>
      s.rc.client.workflow.execute('poolProbe', {
        workflowId: `probe-${runId}`,
        taskQueue: s.taskQueue,
        args: [{ project: PROJECT, pool: 'two', runId, steps: ['a', 'b', 'c', 'd'], ms: 150 }],
      }),
    ),
  );
  const mine = intervals.filter((i) => runs.includes(i.runId));
  console.log(`[pools] 20 steps of 150 ms through a pool of 2 in ${Math.round(performance.now() - started)} ms (ideal 1500 ms)`);
  expect(mine).toHaveLength(20);
  expect(maxInFlight(mine)).toBe(2);
});

it('releases a lease whose holder was terminated, and the queue moves on', async () => {
  const hog = s.rc.client.workflow.getHandle(
    (await s.rc.client.workflow.start('poolHog', { workflowId: 'hog-1', taskQueue: s.taskQueue, args: [{ project: PROJECT, pool: 'one', holder: 'hog-1' }] })).workflowId,
  );
  await waitFor('the hog to hold the lease', async () => {
    const { events } = await hog.fetchHistory();
    return events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'weir.pool.granted');
  });
  const waiter = s.rc.client.workflow.execute('poolProbe', { workflowId: 'probe-after-hog', taskQueue: s.taskQueue, args: [{ project: PROJECT, pool: 'one', runId: 'after-hog', steps: ['x'], ms: 10 }] });
  await new Promise((r) => setTimeout(r, 1500));
  expect(intervals.filter((i) => i.runId === 'after-hog')).toHaveLength(0);
  const killed = Date.now();
  await hog.terminate('test: the holder dies');
  await waiter;
  const [step] = intervals.filter((i) => i.runId === 'after-hog');
  console.log(`[pools] lease of a terminated holder passed on after ${step!.start - killed} ms`);
  expect(step!.start).toBeGreaterThanOrEqual(killed);
});

it('queues the second run of a pipeline with concurrency limit 1 until the first finishes', async () => {
  const first = await launch('serial');
  const second = await launch('serial');
  expect(first.admission.kind).toBe('queued');
  expect(second.admission.kind).toBe('queued');
  await waitFor('the first run to start', async () => (await getRun(s.sql, first.runId))?.status === 'running');
  expect((await getRun(s.sql, second.runId))?.status).toBe('queued');
  const [a, b] = await Promise.all([s.wait(first.runId), s.wait(second.runId)]);
  expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
  console.log(`[concurrency] queued run started ${b.startedAt!.getTime() - a.finishedAt!.getTime()} ms after the first finished`);
  expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
});

it('cancels a new run of a cancel_new pipeline at its limit and records why', async () => {
  const first = await launch('solo');
  expect(first.admission).toEqual({ kind: 'started' });
  const second = await launch('solo');
  expect(second.admission).toMatchObject({ kind: 'rejected', status: 'cancelled' });
  const row = await getRun(s.sql, second.runId);
  expect(row?.status).toBe('cancelled');
  expect(row?.error).toBe(`solo already has 1 run in flight (limit 1): ${first.runId}`);
  expect((await getAdmission(s.sql, second.runId))?.decision).toBe('cancelled');
  const events = await listEvents(s.sql, second.runId);
  expect(events.map((e) => e.message)).toContain(`run cancelled: solo already has 1 run in flight (limit 1): ${first.runId}`);
  expect((await s.wait(first.runId)).status).toBe('succeeded');
});

it('takes a queued run out of the line when it is cancelled, and the next one still runs', async () => {
  const first = await launch('serial');
  const second = await launch('serial');
  const third = await launch('serial');
  await waitFor('the first run to start', async () => (await getRun(s.sql, first.runId))?.status === 'running');
  await cancelRun(s.rc, second.runId);
  const [a, b, c] = await Promise.all([s.wait(first.runId), s.wait(second.runId), s.wait(third.runId)]);
  expect([a.status, b.status, c.status]).toEqual(['succeeded', 'cancelled', 'succeeded']);
  expect(b.startedAt).toBeNull();
});

it('cancel_running cancels the run in flight and starts the new one', async () => {
  const first = await launch('latest_wins');
  await waitFor('the first run to start', async () => (await getRun(s.sql, first.runId))?.status === 'running');
  const second = await launch('latest_wins');
  const [a, b] = await Promise.all([s.wait(first.runId), s.wait(second.runId)]);
  expect([a.status, b.status]).toEqual(['cancelled', 'succeeded']);
});

it('fail refuses a new run at the limit as failed, with the reason', async () => {
  const first = await launch('strict');
  const second = await launch('strict');
  const row = await getRun(s.sql, second.runId);
  expect(row?.status).toBe('failed');
  expect(row?.error).toContain('strict already has 1 run in flight (limit 1)');
  expect((await s.wait(first.runId)).status).toBe('succeeded');
});

it('applies the limit per concurrency key', async () => {
  const eu = await launch('per_region', { region: 'eu' });
  const us = await launch('per_region', { region: 'us' });
  const eu2 = await launch('per_region', { region: 'eu' });
  expect((await getRun(s.sql, eu2.runId))?.status).toBe('cancelled');
  const [a, b] = await Promise.all([s.wait(eu.runId), s.wait(us.runId)]);
  expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
});
