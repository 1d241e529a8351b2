// Schedules on real Temporal Schedules with ticks recorded in real PostgreSQL: reconciliation, a triggered tick,
// and the DST behaviour nextFires predicts compared with what Temporal itself plans.
import { randomBytes } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../runtime/cli/project.ts';
import { createRunActivities } from '../../runtime/engine/activities.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import { createScheduleActivities, reconcileSchedules, scheduleIdOf } from '../../runtime/engine/schedules.ts';
import { nextFires } from '../../runtime/spec/cron.ts';
import { keyAt } from '../../runtime/spec/partitions.ts';
import type { Plan } from '../../runtime/spec/plan.ts';
import { connect, type Sql } from '../../runtime/store/db.ts';
import { migrate } from '../../runtime/store/migrate.ts';
import { getRun, type RunRow } from '../../runtime/store/runs.ts';
import { listTicks, type TickRow } from '../../runtime/store/schedule-ticks.ts';
import { writeProject } from './runs-helpers.ts';
import { createTestWorker, integrationEnv, type TestWorker } from './setup/harness.ts';

const project = `sched-${randomBytes(4).toString('hex')}`;

const SPECS = `
partitions:
  daily: { kind: time, cadence: daily, start: "2026-01-01" }
assets:
  daily_sales:
    partitions: daily
    step: { kind: command, run: [node, -e, "console.log(process.argv[1])", "\${partition.key}"] }
pipelines:
  sales: { select: daily_sales }
schedules:
  sales_nightly:
    pipeline: sales
    cron: "0 3 * * *"
    timezone: Europe/Berlin
    partition: previous
    overlap: buffer_one
    catchup: 7d
    jitter: 30s
  sales_weekly:
    pipeline: sales
    cron: "0 6 * * MON"
    partition: current
    paused: true
  berlin_sundays:
    pipeline: sales
    cron: "0 3 * 3,10 SUN"
    timezone: Europe/Berlin
  berlin_spring_day:
    pipeline: sales
    cron: "0,30 * 28 3 *"
    timezone: Europe/Berlin
  berlin_fall_day:
    pipeline: sales
    cron: "0,30 0,4 31 10 *"
    timezone: Europe/Berlin
`;

let sql: Sql;
let tw: TestWorker;
let plan: Plan;
let running: Promise<void>;

beforeAll(async () => {
  const env = integrationEnv();
  const root = await writeProject({ 'weir.yaml': `project: ${project}\nspecs: [specs]\n`, 'specs/s.yaml': SPECS });
  const compiled = await compileProject(root);
  plan = compiled.plan;
  sql = connect(env.databaseUrl, { max: 4 });
  await migrate(sql);
  await deployPlan(sql, compiled.checked, plan, compiled.referenced);
  tw = await createTestWorker({
    activities: {
      ...createRunActivities({ sql, workerId: 'schedules-test', projectRoot: root, env: { PATH: process.env.PATH }, secrets: {}, resourcePools: new Map(), outputLimitBytes: 1_000_000 }),
      ...createScheduleActivities({ sql }),
    },
  });
  running = tw.worker.run();
});

afterAll(async () => {
  for await (const s of tw.client.schedule.list()) if (s.scheduleId.startsWith(`weir-${project}-`)) await tw.client.schedule.getHandle(s.scheduleId).delete().catch(() => undefined);
  tw.worker.shutdown();
  await running;
  await tw.close();
  await sql?.end({ timeout: 5 });
});

const reconcile = (p: Plan, dryRun = false) => reconcileSchedules(tw.client, sql, p, { taskQueue: tw.taskQueue, dryRun });
const handleOf = (name: string) => tw.client.schedule.getHandle(scheduleIdOf(project, name));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('schedule reconciliation', () => {
  it('creates one Temporal Schedule per schedule with the spec’s zone, overlap, catch-up, jitter and paused state', async () => {
    const dry = await reconcile(plan, true);
    expect(dry.created).toEqual(['berlin_fall_day', 'berlin_spring_day', 'berlin_sundays', 'sales_nightly', 'sales_weekly']);
    await expect(handleOf('sales_nightly').describe()).rejects.toThrow();

    const result = await reconcile(plan);
    expect(result).toEqual({ created: ['berlin_fall_day', 'berlin_spring_day', 'berlin_sundays', 'sales_nightly', 'sales_weekly'], updated: [], deleted: [], unchanged: [] });
    const nightly = await handleOf('sales_nightly').describe();
    expect(nightly.spec.timezone).toBe('Europe/Berlin');
    expect(nightly.spec.jitter).toBe(30_000);
    expect(nightly.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ONE);
    expect(nightly.policies.catchupWindow).toBe(7 * 24 * 3600_000);
    expect(nightly.state.paused).toBe(false);
    expect(nightly.action).toMatchObject({ workflowType: 'scheduledTick', taskQueue: tw.taskQueue, args: [{ project, schedule: 'sales_nightly' }] });
    expect((await handleOf('sales_weekly').describe()).state.paused).toBe(true);
  });

  it('changes nothing when the same plan is reconciled again', async () => {
    expect(await reconcile(plan)).toEqual({ created: [], updated: [], deleted: [], unchanged: ['berlin_fall_day', 'berlin_spring_day', 'berlin_sundays', 'sales_nightly', 'sales_weekly'] });
  });

  it('updates a changed schedule, re-applies a paused state flipped by hand, and deletes a removed one', async () => {
    await handleOf('sales_weekly').unpause('by hand');
    const changed: Plan = structuredClone(plan);
    changed.schedules.sales_nightly!.cron = '15 4 * * *';
    delete changed.schedules.berlin_spring_day;
    changed.schedules.sales_hourly = { ...changed.schedules.sales_nightly!, cron: '0 * * * *', timezone: 'UTC' };

    const dry = await reconcile(changed, true);
    expect(dry).toEqual({ created: ['sales_hourly'], updated: ['sales_nightly', 'sales_weekly'], deleted: ['berlin_spring_day'], unchanged: ['berlin_fall_day', 'berlin_sundays'] });
    expect((await handleOf('sales_weekly').describe()).state.paused).toBe(false);

    expect(await reconcile(changed)).toEqual(dry);
    expect((await handleOf('sales_weekly').describe()).state.paused).toBe(true);
    expect((await handleOf('sales_nightly').describe()).spec.calendars?.[0]).toMatchObject({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] });
    await expect(handleOf('berlin_spring_day').describe()).rejects.toThrow();
    expect((await reconcile(changed)).unchanged).toHaveLength(5);

    // Back to the deployed plan for the tests below.
    const back = await reconcile(plan);
    expect(back).toMatchObject({ created: ['berlin_spring_day'], updated: ['sales_nightly'], deleted: ['sales_hourly'] });
  });
});

describe('a triggered tick', () => {
  it('starts a run of the schedule’s pipeline for the previous daily partition and records the tick', async () => {
    const before = Date.now();
    await handleOf('sales_nightly').trigger();
    const tick = await until<TickRow>('the tick', async () => (await listTicks(sql, project, 'sales_nightly'))[0]);
    expect(tick.status).toBe('started');
    expect(tick.reason).toBeNull();
    expect(tick.scheduledAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(tick.scheduledAt.getTime()).toBeLessThanOrEqual(Date.now());

    const run = await until<RunRow>('the run to finish', async () => {
      const r = await getRun(sql, tick.runId!);
      return r && (r.status === 'succeeded' || r.status === 'failed') ? r : undefined;
    });
    const expected = keyAt(plan.pipelines.sales!.partitions!, tick.scheduledAt, 'previous');
    // The day before the trigger, in the partitions' zone (UTC).
    expect(expected).toBe(new Date(tick.scheduledAt.getTime() - 86_400_000).toISOString().slice(0, 10));
    expect(run).toMatchObject({ pipeline: 'sales', partition: expected, status: 'succeeded', trigger: { kind: 'schedule', by: 'sales_nightly' } });
    expect(run.id).toMatch(/^s-sales_nightly-\d{8}T\d{6}(\d{3})?Z$/);
  });
});

describe('fire times across DST in Europe/Berlin', () => {
  for (const name of ['berlin_sundays', 'berlin_spring_day', 'berlin_fall_day']) {
    it(`nextFires of ${name} lists exactly the times the Temporal Schedule reports`, async () => {
      const s = plan.schedules[name]!;
      const { info } = await handleOf(name).describe();
      const temporal = info.nextActionTimes.map((d) => d.getTime());
      expect(temporal.length).toBeGreaterThan(0);
      // Both counted from the same moment: just before Temporal's first, which cannot fire before now.
      const predicted = nextFires(s.cron, s.timezone, new Date(temporal[0]! - 1), temporal.length).map((t) => Date.parse(t));
      expect(predicted.map((t) => new Date(t).toISOString())).toEqual(temporal.map((t) => new Date(t).toISOString()));
      // The window really crosses a transition: both Berlin offsets occur among the fire times.
      const offsets = new Set(nextFires(s.cron, s.timezone, new Date(temporal[0]! - 1), temporal.length).map((t) => t.slice(-6)));
      expect([...offsets].sort()).toEqual(['+01:00', '+02:00']);
    });
  }
});
