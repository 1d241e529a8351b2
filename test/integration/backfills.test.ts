// Backfills on the real Temporal dev server and PostgreSQL: the cap on runs in flight, reprocess
// `missing`, pause/resume, continue-as-new, and a worker replaced mid-way losing and duplicating nothing.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backfillsShowCommand, backfillCommand } from '../../runtime/cli/backfills.ts';
import { compileProject } from '../../runtime/cli/project.ts';
import { createRunActivities } from '../../runtime/engine/activities.ts';
import { createBackfillActivities, pauseBackfill, planBackfill, resumeBackfill, startBackfill } from '../../runtime/engine/backfills.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import { startRun, type RunsClient } from '../../runtime/engine/runs-client.ts';
import type { Plan } from '../../runtime/spec/plan.ts';
import { countPartitions, getBackfill } from '../../runtime/store/backfills.ts';
import { connect, type Sql } from '../../runtime/store/db.ts';
import { migrate } from '../../runtime/store/migrate.ts';
import { withCli, writeProject } from './runs-helpers.ts';
import { createTestWorker, integrationEnv, type TestWorker } from './setup/harness.ts';

const SPECS = `
partitions:
  daily: { kind: time, cadence: daily, start: "2026-01-01", timezone: UTC }
assets:
  bf_days:
    partitions: daily
    retry: { attempts: 3, backoff: fixed, initial: 100ms, max: 100ms }
    step: { kind: command, run: [sleep, "0.2"] }
  bf_spot:
    partitions: daily
    step: { kind: command, run: ["true"] }
  bf_slow:
    partitions: daily
    retry: { attempts: 3, backoff: fixed, initial: 100ms, max: 100ms }
    step: { kind: command, run: [sleep, "0.4"] }
pipelines:
  days: { select: bf_days }
  spot: { select: bf_spot }
  slow: { select: bf_slow }
`;

let root: string;
let plan: Plan;
let sql: Sql;
let rc: RunsClient;
let connection: Connection;
const workers: { tw: TestWorker; running: Promise<void> }[] = [];

async function startTestWorker(taskQueue: string): Promise<{ tw: TestWorker; running: Promise<void> }> {
  const deps = { sql, workerId: `test-${workers.length}`, projectRoot: root, env: { PATH: process.env.PATH }, secrets: {}, resourcePools: new Map(), outputLimitBytes: 1_000_000 };
  const tw = await createTestWorker({ taskQueue, activities: { ...createRunActivities(deps), ...createBackfillActivities({ sql }) }, shutdownGraceTime: '10s' });
  const entry = { tw, running: tw.worker.run() };
  workers.push(entry);
  return entry;
}

/** Graceful shutdown: running activities get the grace time, then the connection closes. */
async function stopWorker(w: { tw: TestWorker; running: Promise<void> }): Promise<void> {
  const i = workers.indexOf(w);
  if (i < 0) return;
  workers.splice(i, 1);
  if (w.tw.worker.getState() === 'RUNNING') w.tw.worker.shutdown();
  await w.running.catch(() => undefined);
  await w.tw.close();
}

beforeAll(async () => {
  const env = integrationEnv();
  root = await writeProject({ 'weir.yaml': 'project: backfill-test\nspecs: [specs]\n', 'specs/main.yaml': SPECS });
  const compiled = await compileProject(root);
  plan = compiled.plan;
  sql = connect(env.databaseUrl, { max: 8 });
  await migrate(sql);
  await deployPlan(sql, compiled.checked, plan, compiled.referenced);
  connection = await Connection.connect({ address: env.temporalAddress });
  rc = { client: new Client({ connection, namespace: env.namespace }), sql, taskQueue: `backfills-${randomUUID()}` };
  await startTestWorker(rc.taskQueue);
});

afterAll(async () => {
  for (const w of [...workers]) await stopWorker(w);
  await connection?.close();
  await sql?.end({ timeout: 5 });
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (id: string) =>
  until(`backfill ${id} to finish`, async () => {
    const row = await getBackfill(sql, id);
    return row && row.status !== 'running' && row.status !== 'paused' ? row : undefined;
  });

/** Most runs of a backfill in flight at once, from the runs' own recorded start and finish times. */
async function peakInFlight(id: string): Promise<number> {
  const [row] = await sql<{ peak: number }[]>`
    with r as (select started_at, finished_at from runs where trigger->>'kind' = 'backfill' and trigger->>'by' = ${id}),
    e as (select started_at as t, 1 as d from r union all select finished_at, -1 from r)
    select max(c)::int as peak from (select sum(d) over (order by t, d) as c from e) x`;
  return row!.peak;
}

async function materializationsOf(asset: string, id: string): Promise<{ total: number; distinct: number }> {
  const [row] = await sql<{ total: number; distinct: number }[]>`
    select count(*)::int as total, count(distinct m.partition)::int as distinct
    from materializations m join runs r on r.id = m.run_id
    where m.asset = ${asset} and r.trigger->>'by' = ${id}`;
  return row!;
}

it('backfills 30 daily partitions with parallel 4: 30 materializations, never more than 4 runs in flight', async () => {
  const id = await startBackfill(rc, plan, { pipeline: 'days', from: '2026-01-01', to: '2026-01-30', reprocess: 'all', parallel: 4, continueAsNewEvery: 10 });
  const row = await finished(id);
  expect(row.status).toBe('succeeded');
  expect(await materializationsOf('bf_days', id)).toEqual({ total: 30, distinct: 30 });
  const peak = await peakInFlight(id);
  expect(peak).toBeLessThanOrEqual(4);
  expect(peak).toBeGreaterThanOrEqual(2);
  expect(await countPartitions(sql, id)).toMatchObject({ total: 30, succeeded: 30, failed: 0, pending: 0, running: 0 });
  // Continued as new twice (every 10 children), each execution handing its progress on.
  const desc = await rc.client.workflow.getHandle(`backfill-${id}`).describe();
  expect(desc.raw.workflowExecutionInfo?.firstRunId).toBeTruthy();
  expect(desc.runId).not.toBe(desc.raw.workflowExecutionInfo?.firstRunId);
});

it('with reprocess missing, skips the partitions already materialized', async () => {
  for (const day of ['2026-02-02', '2026-02-04']) {
    const { runId } = await startRun(rc, plan, { pipeline: 'spot', partition: day }, { kind: 'manual', by: 'test' });
    await until(`run ${runId}`, async () => (await sql`select 1 from runs where id = ${runId} and status = 'succeeded'`).length > 0);
  }
  const request = { pipeline: 'spot', from: '2026-02-01', to: '2026-02-05', reprocess: 'missing' as const };
  expect(await planBackfill(sql, plan, request)).toEqual(['2026-02-01', '2026-02-03', '2026-02-05']);
  const id = await startBackfill(rc, plan, { ...request, parallel: 2 });
  expect((await finished(id)).status).toBe('succeeded');
  const runs = await sql<{ partition: string }[]>`select partition from runs where trigger->>'by' = ${id} order by partition`;
  expect(runs.map((r) => r.partition)).toEqual(['2026-02-01', '2026-02-03', '2026-02-05']);
  // Everything is materialized now: nothing is left to backfill.
  expect(await planBackfill(sql, plan, request)).toEqual([]);
});

it('pauses (running runs finish, no new ones start) and resumes to completion', async () => {
  const id = await startBackfill(rc, plan, { pipeline: 'slow', from: '2026-03-01', to: '2026-03-12', reprocess: 'all', parallel: 2 });
  await until('two partitions done', async () => (await countPartitions(sql, id)).succeeded >= 2);
  await pauseBackfill(rc, id);
  await until('the backfill to be paused and drained', async () => {
    const [row, counts] = await Promise.all([getBackfill(sql, id), countPartitions(sql, id)]);
    return row?.status === 'paused' && counts.running === 0;
  });
  const countRuns = async () => (await sql<{ n: number }[]>`select count(*)::int as n from runs where trigger->>'by' = ${id}`)[0]!.n;
  const before = await countRuns();
  await new Promise((r) => setTimeout(r, 1500));
  expect(await countRuns()).toBe(before);
  expect(before).toBeLessThan(12);
  const progress = await rc.client.workflow.getHandle(`backfill-${id}`).query<{ status: string; pending: number }>('progress');
  expect(progress.status).toBe('paused');
  expect(progress.pending).toBe(12 - before);
  await resumeBackfill(rc, id);
  expect((await finished(id)).status).toBe('succeeded');
  expect(await materializationsOf('bf_slow', id)).toEqual({ total: 12, distinct: 12 });
});

it('resumes on a second worker after the first is shut down mid-way, losing and duplicating nothing', async () => {
  const taskQueue = `backfills-restart-${randomUUID()}`;
  const first = await startTestWorker(taskQueue);
  const local: RunsClient = { ...rc, taskQueue };
  const id = await startBackfill(local, plan, { pipeline: 'days', from: '2026-04-01', to: '2026-04-20', reprocess: 'all', parallel: 4, continueAsNewEvery: 8 });
  await until('a third of the partitions done', async () => (await countPartitions(sql, id)).succeeded >= 6);
  await stopWorker(first);
  const midway = await countPartitions(sql, id);
  expect(midway.succeeded).toBeLessThan(20);
  await startTestWorker(taskQueue);
  expect((await finished(id)).status).toBe('succeeded');
  expect(await materializationsOf('bf_days', id)).toEqual({ total: 20, distinct: 20 });
  const [runs] = await sql<{ total: number; distinct: number }[]>`
    select count(*)::int as total, count(distinct partition)::int as distinct from runs where trigger->>'by' = ${id}`;
  expect(runs).toEqual({ total: 20, distinct: 20 });
  expect(await countPartitions(sql, id)).toMatchObject({ total: 20, succeeded: 20 });
  expect(await peakInFlight(id)).toBeLessThanOrEqual(4);
});

it('weir backfill prints the id alone; weir backfills show --format json reports status and counts', async () => {
  await withCli(rc.taskQueue, async (out) => {
    await backfillCommand('spot', { project: root, partitions: '2026-05-01,2026-05-02', reprocess: 'all', parallel: '2' });
    const id = out.join('').trim();
    expect(id).toMatch(/^bf[0-9a-z]+$/);
    await finished(id);
    out.length = 0;
    await backfillsShowCommand(id, { project: root, format: 'json' });
    const shown = JSON.parse(out.join('')) as { id: string; status: string; partitions: Record<string, number> };
    expect(shown).toMatchObject({ id, status: 'succeeded', partitions: { total: 2, succeeded: 2, failed: 0, pending: 0 } });
  });
});
