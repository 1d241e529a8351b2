// Sensors against the real Temporal dev server and PostgreSQL: file, asset and http conditions starting one run per
// key, webhook dedupe, reconciling the loop workflows, and a loop that continues-as-new without losing its cursor.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRun } from '../../runtime/cli/follow-run.ts';
import { formatListing, formatSensorReconcile, listSensors } from '../../runtime/cli/sensors.ts';
import { compileProject } from '../../runtime/cli/project.ts';
import { createRunActivities } from '../../runtime/engine/activities.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import { startRun, type RunsClient } from '../../runtime/engine/runs-client.ts';
import { acceptWebhookEvent, createSensorActivities, evaluateSensor, reconcileSensors, sensorWorkflowId, type Evaluation } from '../../runtime/engine/sensors.ts';
import type { Plan } from '../../runtime/spec/plan.ts';
import { connect, type Sql } from '../../runtime/store/db.ts';
import { migrate } from '../../runtime/store/migrate.ts';
import { getSensorState, listSensorTicks } from '../../runtime/store/sensors.ts';
import { writeProject } from './runs-helpers.ts';
import { createTestWorker, integrationEnv, type TestWorker } from './setup/harness.ts';

const project = `sens-${randomBytes(4).toString('hex')}`;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

let sql: Sql;
let tw: TestWorker;
let plan: Plan;
let root: string;
let rc: RunsClient;
let running: Promise<void>;
let server: Server;
let httpState = 'pending';

const specs = (port: number) => `
assets:
  upstream:
    partitions: { kind: static, keys: [us, eu] }
    step: { kind: command, run: [node, -e, "0"] }
pipelines:
  build_upstream: { select: upstream }
  ingest:
    params:
      file: { type: string, default: "" }
    tasks:
      load: { step: { kind: command, run: [node, -e, "console.log(process.argv[1])", "\${params.file}"] } }
sensors:
  incoming:
    kind: file
    path: inbox/*.csv
    start: { pipeline: ingest, params: { file: "\${sensor.path}" }, key: "\${sensor.path}" }
  upstream_done:
    kind: asset
    asset: upstream
    partitions: [u*]
    start: { pipeline: ingest, params: { file: "\${sensor.partition}" }, key: "\${sensor.asset}/\${sensor.partition}" }
  api_ready:
    kind: http
    url: http://127.0.0.1:${port}/status
    headers: { x-token: abc }
    until: { status: [200], json: { path: $.state, equals: ready } }
    start: { pipeline: ingest, params: { file: "b\${sensor.body.batch}" }, key: "batch-\${sensor.body.batch}" }
  hook:
    kind: webhook
    start: { pipeline: ingest, params: { file: "\${sensor.body.id}" }, key: "\${sensor.body.id}" }
  looping:
    kind: file
    path: loop/*.txt
    every: 200ms
    start: { pipeline: ingest, params: { file: "\${sensor.path}" }, key: "\${sensor.path}" }
`;

let seenHeader: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    seenHeader = req.headers['x-token'] as string | undefined;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ state: httpState, batch: 7 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const env = integrationEnv();
  root = await writeProject({ 'weir.yaml': `project: ${project}\nspecs: [specs]\n`, 'specs/s.yaml': specs(port), 'inbox/.keep': '', 'loop/.keep': '' });
  const compiled = await compileProject(root);
  plan = compiled.plan;
  sql = connect(env.databaseUrl, { max: 4 });
  await migrate(sql);
  await deployPlan(sql, compiled.checked, plan, compiled.referenced);
  tw = await createTestWorker({
    activities: {
      ...createRunActivities({ sql, workerId: 'sensors-test', projectRoot: root, env: { PATH: process.env.PATH }, secrets: {}, resourcePools: new Map(), outputLimitBytes: 1_000_000 }),
      ...createSensorActivities({ sql, projectRoot: root }),
    },
  });
  running = tw.worker.run();
  rc = { client: tw.client, sql, taskQueue: tw.taskQueue };
}, 30_000);

afterAll(async () => {
  if (tw) await reconcileSensors(tw.client, sql, { ...plan, sensors: {} }, { taskQueue: tw.taskQueue }).catch(() => undefined);
  tw?.worker.shutdown();
  await running?.catch(() => undefined);
  await tw?.close();
  await sql?.end({ timeout: 5 });
  server?.close();
});

const evaluate = (sensor: string): Promise<Evaluation> => evaluateSensor({ sql, projectRoot: root }, rc, { project, sensor }, new AbortController().signal);
const runIdsOf = (e: Evaluation): string[] => (e.kind === 'continue' ? e.runIds : []);
const sensorRuns = async (sensor: string) =>
  sql<{ id: string; params: { file?: unknown } }[]>`select id, params from runs where project = ${project} and trigger->>'kind' = 'sensor' and trigger->>'by' = ${sensor} order by id`;

describe('file sensor', () => {
  it('starts one run per new file and none for a file seen before', async () => {
    await writeFile(join(root, 'inbox/a.csv'), 'a');
    await writeFile(join(root, 'inbox/b.csv'), 'b');
    const first = await evaluate('incoming');
    expect(first).toMatchObject({ kind: 'continue', status: 'started' });
    expect(runIdsOf(first)).toHaveLength(2);
    for (const id of runIdsOf(first)) expect((await followRun(sql, id, quiet, 100)).status).toBe('succeeded');
    expect(await evaluate('incoming')).toMatchObject({ status: 'skipped', runIds: [] });
    await writeFile(join(root, 'inbox/c.csv'), 'c');
    const third = await evaluate('incoming');
    expect(runIdsOf(third)).toHaveLength(1);
    const runs = await sensorRuns('incoming');
    expect(runs.map((r) => r.params.file).sort()).toEqual(['a', 'b', 'c'].map((f) => join(root, `inbox/${f}.csv`)));
  });

  it('starts no second run when the same key is evaluated twice, even with the cursor lost', async () => {
    await sql`update sensor_state set cursor = null where project = ${project} and sensor = 'incoming'`;
    const again = await evaluate('incoming');
    expect(again).toMatchObject({ status: 'skipped', runIds: [], reason: 'every event key already has its run' });
    expect(await sensorRuns('incoming')).toHaveLength(3);
  });

  it('starts one run when two evaluations see the same new file at once', async () => {
    await writeFile(join(root, 'inbox/d.csv'), 'd');
    const both = await Promise.all([evaluate('incoming'), evaluate('incoming')]);
    expect(both.flatMap(runIdsOf)).toHaveLength(1);
    expect(await sensorRuns('incoming')).toHaveLength(4);
  });

  it('records ticks boundedly: one idle tick, and every tick that started runs', async () => {
    await evaluate('incoming');
    await evaluate('incoming');
    const ticks = await listSensorTicks(sql, project, 'incoming', 50);
    expect(ticks.filter((t) => t.status === 'skipped' && t.runIds.length === 0)).toHaveLength(1);
    expect(ticks.filter((t) => t.status === 'started').flatMap((t) => t.runIds)).toHaveLength(4);
  });
});

describe('asset sensor', () => {
  it('starts a run after the upstream asset is materialized', async () => {
    expect(await evaluate('upstream_done')).toMatchObject({ status: 'skipped', reason: 'cursor initialised at the latest materialization' });
    expect(await evaluate('upstream_done')).toMatchObject({ status: 'skipped', runIds: [] });
    const build = async (partition: string) => {
      const upstream = await startRun(rc, plan, { pipeline: 'build_upstream', partition, params: {} }, { kind: 'manual', by: 'test' });
      expect((await followRun(sql, upstream.runId, quiet, 100)).status).toBe('succeeded');
    };
    await build('eu');
    expect(await evaluate('upstream_done')).toMatchObject({ status: 'skipped', runIds: [], reason: 'no new materializations' });
    await build('us');
    const after = await evaluate('upstream_done');
    expect(runIdsOf(after)).toHaveLength(1);
    expect((await sensorRuns('upstream_done')).map((r) => r.params.file)).toEqual(['us']);
    expect(await evaluate('upstream_done')).toMatchObject({ status: 'skipped', runIds: [] });
  });
});

describe('http sensor', () => {
  it('starts a run once the JSON condition holds, with the sensor headers', async () => {
    httpState = 'pending';
    expect(await evaluate('api_ready')).toMatchObject({ status: 'skipped', runIds: [], reason: 'condition not met (status 200)' });
    expect(seenHeader).toBe('abc');
    httpState = 'ready';
    const ready = await evaluate('api_ready');
    expect(runIdsOf(ready)).toHaveLength(1);
    expect(await evaluate('api_ready')).toMatchObject({ status: 'skipped', runIds: [] });
    const runs = await sensorRuns('api_ready');
    expect(runs.map((r) => r.params.file)).toEqual(['b7']);
    expect((await getSensorState(sql, project, 'api_ready'))?.cursor).toEqual({ status: 200, held: true });
  });
});

describe('webhook sensor', () => {
  it('starts one run per event key and ignores a redelivery', async () => {
    // Delivered twice at the same moment: exactly one of the calls starts the run.
    const both = await Promise.all([acceptWebhookEvent(sql, rc, plan, 'hook', { id: 'evt-1' }), acceptWebhookEvent(sql, rc, plan, 'hook', { id: 'evt-1' })]);
    expect(both.map((o) => o.kind).sort()).toEqual(['duplicate', 'started']);
    expect((await acceptWebhookEvent(sql, rc, plan, 'hook', { id: 'evt-1' })).kind).toBe('duplicate');
    expect(await sensorRuns('hook')).toHaveLength(1);
    await expect(acceptWebhookEvent(sql, rc, plan, 'incoming', {})).rejects.toThrow(/not a webhook/);
  });

  it('records a failed tick and frees the key when the run cannot be requested', async () => {
    // A number where the pipeline's param is a string: refused, and the key stays free for a correct event.
    const refused = await acceptWebhookEvent(sql, rc, plan, 'hook', { id: 5 });
    expect(refused).toMatchObject({ kind: 'failed' });
    expect((await listSensorTicks(sql, project, 'hook', 1))[0]).toMatchObject({ status: 'failed', runIds: [] });
    const accepted = await acceptWebhookEvent(sql, rc, plan, 'hook', { id: '5' });
    expect(accepted.kind).toBe('started');
    expect(await sensorRuns('hook')).toHaveLength(2);
  });

  it('has no loop workflow: reconcile leaves it alone', async () => {
    const result = await reconcileSensors(tw.client, sql, { ...plan, sensors: { hook: plan.sensors.hook! } }, { taskQueue: tw.taskQueue });
    expect(result).toEqual({ started: [], stopped: [], unchanged: ['hook'] });
  });
});

describe('sensor loops', () => {
  const only = (names: string[], paused = false): Plan => ({
    ...plan,
    sensors: Object.fromEntries(names.map((n) => [n, { ...plan.sensors[n]!, paused }])),
  });
  const describeLoop = () => tw.client.workflow.getHandle(sensorWorkflowId(project, 'looping')).describe();

  it('reconcile starts and stops sensor workflows idempotently', async () => {
    const opts = { taskQueue: tw.taskQueue, maxIterations: 3 };
    expect(await reconcileSensors(tw.client, sql, only(['looping']), opts)).toEqual({ started: ['looping'], stopped: [], unchanged: [] });
    const again = await reconcileSensors(tw.client, sql, only(['looping']), opts);
    expect(again).toEqual({ started: [], stopped: [], unchanged: ['looping'] });
    expect(formatSensorReconcile(again, false)).toBe('sensors unchanged (1)\n');
    expect((await describeLoop()).status.name).toBe('RUNNING');
    const [listed] = await listSensors(tw.client, sql, only(['looping']));
    expect(listed).toMatchObject({ name: 'looping', kind: 'file', paused: false, everyMs: 200, running: true });
    expect(formatListing(listed!)).toContain('looping  file every 0.2s  running');
    expect(await reconcileSensors(tw.client, sql, only(['looping'], true), opts)).toEqual({ started: [], stopped: ['looping'], unchanged: [] });
    await tw.client.workflow.getHandle(sensorWorkflowId(project, 'looping')).result();
    expect((await describeLoop()).status.name).toBe('COMPLETED');
    expect(await reconcileSensors(tw.client, sql, only([]), opts)).toEqual({ started: [], stopped: [], unchanged: [] });
    // Started again after a stop (id reuse), then stopped as removed from the plan.
    expect(await reconcileSensors(tw.client, sql, only(['looping']), opts)).toEqual({ started: ['looping'], stopped: [], unchanged: [] });
    expect(await reconcileSensors(tw.client, sql, only([]), opts)).toEqual({ started: [], stopped: ['looping'], unchanged: [] });
    await tw.client.workflow.getHandle(sensorWorkflowId(project, 'looping')).result();
  });

  it('continues as new and keeps its cursor: a file seen before starts no second run', async () => {
    await writeFile(join(root, 'loop/one.txt'), '1');
    await reconcileSensors(tw.client, sql, only(['looping']), { taskQueue: tw.taskQueue, maxIterations: 2 });
    const firstRunId = (await describeLoop()).runId;
    const deadline = Date.now() + 20_000;
    let continued = false;
    while (Date.now() < deadline && !continued) {
      await new Promise((r) => setTimeout(r, 200));
      const d = await describeLoop();
      continued = d.runId !== firstRunId && d.status.name === 'RUNNING';
    }
    expect(continued).toBe(true);
    // Iterations of the new execution have run against the saved cursor.
    await new Promise((r) => setTimeout(r, 800));
    expect(await sensorRuns('looping')).toHaveLength(1);
    const cursor = (await getSensorState(sql, project, 'looping'))?.cursor as { files: Record<string, string> };
    expect(Object.keys(cursor.files)).toEqual([join(root, 'loop/one.txt')]);
    const first = await tw.client.workflow.getHandle(sensorWorkflowId(project, 'looping'), firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect(await reconcileSensors(tw.client, sql, only([]), { taskQueue: tw.taskQueue })).toEqual({ started: [], stopped: ['looping'], unchanged: [] });
  });
});
