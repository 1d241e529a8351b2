// Declarative automation on the real Temporal dev server and PostgreSQL: an eager chain runs each partition
// exactly once, failed error checks gate consumption across runs, `missing` stays within its lookback,
// freshness violations are recorded once, `weir why` shows the reasons, and the loop workflow ticks.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { followRun } from '../../runtime/cli/follow-run.ts';
import { compileProject } from '../../runtime/cli/project.ts';
import { whyCommand } from '../../runtime/cli/why.ts';
import { createRunActivities } from '../../runtime/engine/activities.ts';
import { automationTick, createAutomationActivities } from '../../runtime/engine/automation-activities.ts';
import { automationWorkflowId, reconcileAutomation } from '../../runtime/engine/automation-loop.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import { startRun, type RunsClient } from '../../runtime/engine/runs-client.ts';
import { keyAt } from '../../runtime/spec/partitions.ts';
import type { Plan } from '../../runtime/spec/plan.ts';
import { evaluationTrail, freshnessViolations } from '../../runtime/store/automation.ts';
import { connect, type Sql } from '../../runtime/store/db.ts';
import { migrate } from '../../runtime/store/migrate.ts';
import { withCli, writeProject } from './runs-helpers.ts';
import { createTestWorker, integrationEnv, type TestWorker } from './setup/harness.ts';

const PROJECT = `auto${Date.now().toString(36)}`;
const DAY = 86_400_000;
const recent = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);

const SPECS = `
partitions:
  daily: { kind: time, cadence: daily, start: "2024-01-01", timezone: UTC }
assets:
  au_a: { partitions: daily, step: { kind: command, run: ["true"] } }
  au_b: { partitions: daily, deps: [au_a], automation: eager, step: { kind: command, run: ["true"] } }
  au_c: { partitions: daily, deps: [au_b], automation: eager, step: { kind: command, run: ["true"] } }
  au_bad:
    partitions: daily
    step: { kind: command, run: ["true"] }
    checks:
      - { name: has_rows, kind: command, run: [node, -e, "process.exit(1)"], severity: error }
  au_gated: { partitions: daily, deps: [au_bad], automation: eager, step: { kind: command, run: ["true"] } }
  au_missing:
    partitions: { kind: time, cadence: daily, start: "${recent}", timezone: UTC }
    automation: missing
    step: { kind: command, run: ["true"] }
  au_fresh:
    step: { kind: command, run: ["true"] }
    freshness: { max_lag: 1s }
pipelines:
  chain: { select: "au_a or au_b or au_c" }
  guarded: { select: "au_bad or au_gated" }
  gaps: { select: au_missing }
  fresh: { select: au_fresh }
`;

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
let root: string;
let plan: Plan;
let sql: Sql;
let rc: RunsClient;
let tw: TestWorker;
let running: Promise<void>;
const P = keyAt({ kind: 'time', cadence: 'daily', start: '2024-01-01', timezone: 'UTC' }, new Date(), 'previous')!;

beforeAll(async () => {
  const env = integrationEnv();
  root = await writeProject({ 'weir.yaml': `project: ${PROJECT}\nspecs: [specs]\n`, 'specs/main.yaml': SPECS });
  const compiled = await compileProject(root);
  plan = compiled.plan;
  sql = connect(env.databaseUrl, { max: 4 });
  await migrate(sql);
  await deployPlan(sql, compiled.checked, plan, compiled.referenced);
  const deps = { sql, workerId: 'automation-test', projectRoot: root, env: { PATH: process.env.PATH }, secrets: {}, resourcePools: new Map(), outputLimitBytes: 1_000_000 };
  tw = await createTestWorker({ activities: { ...createRunActivities(deps), ...createAutomationActivities({ sql }) } });
  running = tw.worker.run();
  rc = { client: tw.client, sql, taskQueue: tw.taskQueue };
}, 30_000);

afterAll(async () => {
  if (tw?.worker.getState() === 'RUNNING') tw.worker.shutdown();
  await running?.catch(() => undefined);
  await tw?.close();
  await sql?.end({ timeout: 5 });
});

const runsOf = async (asset: string, partition?: string) =>
  sql<{ id: string; status: string; partition: string | null }[]>`
    select id, status, partition from runs
    where project = ${PROJECT} and trigger->>'asset' = ${asset} ${partition ? sql`and partition = ${partition}` : sql``}`;
const waitAll = (ids: string[]) => Promise.all(ids.map((id) => followRun(sql, id, quiet, 50)));
const manual = async (pipeline: string, select: string, partition: string | null) =>
  followRun(sql, (await startRun(rc, plan, { pipeline, partition, select }, { kind: 'manual', by: 'test' })).runId, quiet, 50);

it('an eager chain runs B then C for the materialized partition, each exactly once across repeated ticks', async () => {
  expect((await manual('chain', 'au_a', P)).status).toBe('succeeded');
  const first = await automationTick(rc, PROJECT);
  const again = await automationTick(rc, PROJECT);
  const bRuns = await runsOf('au_b', P);
  expect(bRuns).toHaveLength(1);
  expect(first.started).toContain(bRuns[0]!.id);
  expect(again.started).not.toContain(bRuns[0]!.id);
  expect(first.started.filter((id) => id.startsWith('a-au_c-'))).toEqual([]);
  await waitAll([bRuns[0]!.id]);

  await automationTick(rc, PROJECT);
  await automationTick(rc, PROJECT);
  const cRuns = await runsOf('au_c', P);
  expect(cRuns).toHaveLength(1);
  expect((await waitAll([cRuns[0]!.id]))[0]!.status).toBe('succeeded');
  await automationTick(rc, PROJECT);
  expect(await runsOf('au_b', P)).toHaveLength(1);
  expect(await runsOf('au_c', P)).toHaveLength(1);
  const [latestC] = await evaluationTrail(sql, PROJECT, 'au_c', { partition: P, limit: 5 });
  expect(latestC!.action).toBe('skip');
  expect(latestC!.reasons[0]).toMatch(/^up to date/);
}, 40_000);

it('a failed error check on the upstream stops the eager downstream in later ticks, naming the check', async () => {
  await manual('guarded', 'au_bad', P);
  await automationTick(rc, PROJECT);
  await automationTick(rc, PROJECT);
  expect(await runsOf('au_gated', P)).toHaveLength(0);
  const [latest] = await evaluationTrail(sql, PROJECT, 'au_gated', { partition: P });
  expect(latest!.action).toBe('skip');
  expect(latest!.reasons).toContain(`skipped: error check has_rows failed on upstream au_bad ${P}`);
}, 30_000);

it('missing starts runs for never-materialized partitions within the last 7 only', async () => {
  const before = await runsOf('au_missing');
  await waitAll(before.map((r) => r.id));
  await automationTick(rc, PROJECT);
  const all = await runsOf('au_missing');
  expect(all).toHaveLength(7);
  const keys = all.map((r) => r.partition!).sort();
  const expected = Array.from({ length: 7 }, (_, i) => new Date(Date.now() - (i + 1) * DAY).toISOString().slice(0, 10)).sort();
  expect(keys).toEqual(expected);
  await waitAll(all.map((r) => r.id));
  await automationTick(rc, PROJECT);
  expect(await runsOf('au_missing')).toHaveLength(7);
}, 40_000);

it('records one freshness violation while the last materialization is older than max_lag', async () => {
  await manual('fresh', 'au_fresh', null);
  await sql`update freshness_violations set resolved_at = now() where project = ${PROJECT} and resolved_at is null`;
  await automationTick(rc, PROJECT);
  expect(await freshnessViolations(sql, PROJECT, { asset: 'au_fresh', open: true })).toHaveLength(0);
  await new Promise((r) => setTimeout(r, 1_300));
  await automationTick(rc, PROJECT);
  await automationTick(rc, PROJECT);
  const open = await freshnessViolations(sql, PROJECT, { asset: 'au_fresh', open: true });
  expect(open).toHaveLength(1);
  expect(open[0]).toMatchObject({ level: 'error', partition: '' });
  expect(open[0]!.lagMs).toBeGreaterThan(1_000);
  await manual('fresh', 'au_fresh', null);
  await automationTick(rc, PROJECT);
  expect(await freshnessViolations(sql, PROJECT, { asset: 'au_fresh', open: true })).toHaveLength(0);
}, 30_000);

it('weir why --format json shows the evaluation trail with its reasons, latest first', async () => {
  let printed = '';
  await withCli(rc.taskQueue, async (out) => {
    await whyCommand('au_b', { project: root, partition: P, format: 'json' });
    printed = out.join('');
  });
  const trail = JSON.parse(printed) as { action: string; reasons: string[]; runId: string | null; evaluatedAt: string }[];
  const started = trail.find((e) => e.runId !== null)!;
  expect(started.action).toBe('run');
  expect(started.reasons[0]).toMatch(new RegExp(`^upstream au_a ${P} was materialized at .* and this partition never was$`));
  expect(trail[0]!.evaluatedAt >= started.evaluatedAt).toBe(true);
});

it('reconcileAutomation starts the loop, which ticks on its own, and stops it when automation goes away', async () => {
  const before = (await sql`select count(*)::int as n from automation_evaluations where project = ${PROJECT}`)[0]!.n as number;
  const maxBefore = (await sql`select max(evaluated_at) as t from automation_evaluations where project = ${PROJECT}`)[0]!.t as Date;
  expect(await reconcileAutomation(tw.client, sql, plan, { taskQueue: tw.taskQueue, everyMs: 200 })).toBe('started');
  expect(await reconcileAutomation(tw.client, sql, plan, { taskQueue: tw.taskQueue, everyMs: 200 })).toBe('running');
  await vi.waitFor(async () => {
    const [row] = await sql`select max(evaluated_at) as t from automation_evaluations where project = ${PROJECT}`;
    expect((row!.t as Date).getTime()).toBeGreaterThan(maxBefore.getTime());
  }, { timeout: 10_000, interval: 100 });
  expect(before).toBeGreaterThan(0);
  const bare: Plan = { ...plan, assets: Object.fromEntries(Object.entries(plan.assets).map(([n, a]) => [n, { ...a, automation: null, freshness: null }])) };
  expect(await reconcileAutomation(tw.client, sql, bare, { taskQueue: tw.taskQueue })).toBe('stopped');
  const desc = await tw.client.workflow.getHandle(automationWorkflowId(PROJECT)).describe();
  expect(desc.status.name).toBe('TERMINATED');
}, 30_000);
