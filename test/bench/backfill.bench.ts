// Benchmark: a backfill of 1,000 daily partitions of a one-step asset with parallel 50, on an
// ephemeral local stack. Target (DESIGN.md §8): ≤ 60 s and exactly 1,000 materializations.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { writeProject } from '../integration/runs-helpers.ts';
import { compileProject } from '../../runtime/cli/project.ts';
import { startLocalStack } from '../../runtime/dev/local-stack.ts';
import { createRunActivities } from '../../runtime/engine/activities.ts';
import { createBackfillActivities, startBackfill } from '../../runtime/engine/backfills.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import type { RunsClient } from '../../runtime/engine/runs-client.ts';
import { WORKFLOWS_ENTRY } from '../../runtime/engine/worker.ts';
import { getBackfill } from '../../runtime/store/backfills.ts';
import { connect } from '../../runtime/store/db.ts';

const SPEC = `
partitions:
  daily: { kind: time, cadence: daily, start: "2023-01-01", timezone: UTC }
assets:
  day:
    partitions: daily
    step: { kind: command, run: ["true"] }
pipelines:
  days: { select: day }
`;

export async function benchBackfill(): Promise<Record<string, number | string>> {
  const root = await writeProject({ 'weir.yaml': 'project: bench-backfill\nspecs: [specs]\n', 'specs/days.yaml': SPEC });
  const { checked, plan, referenced } = await compileProject(root);
  const local = await startLocalStack({ projectRoot: root, ephemeral: true });
  const sql = connect(local.databaseUrl, { max: 16 });
  const connection = await Connection.connect({ address: local.temporalAddress });
  const rc: RunsClient = { client: new Client({ connection, namespace: local.namespace }), sql, taskQueue: 'bench' };
  // The product worker plus the backfill activities (the wiring `startWorker` will get); bundles
  // workflows/index.ts so the backfill workflow is there even before `npm run build`.
  const native = await NativeConnection.connect({ address: local.temporalAddress });
  const deps = { sql, workerId: 'bench', projectRoot: root, env: { PATH: process.env.PATH }, secrets: {}, resourcePools: new Map(), outputLimitBytes: 1_000_000 };
  const worker = await Worker.create({
    connection: native,
    namespace: local.namespace,
    taskQueue: 'bench',
    workflowsPath: WORKFLOWS_ENTRY,
    activities: { ...createRunActivities(deps), ...createBackfillActivities({ sql }) },
    maxConcurrentActivityTaskExecutions: 100,
  });
  const running = worker.run();
  try {
    await deployPlan(sql, checked, plan, referenced);
    const started = performance.now();
    const id = await startBackfill(rc, plan, { pipeline: 'days', from: '2023-01-01', to: '2025-09-26', reprocess: 'all', parallel: 50 });
    for (;;) {
      const row = await getBackfill(sql, id);
      if (row && row.status !== 'running' && row.status !== 'paused') {
        if (row.status !== 'succeeded') throw new Error(`backfill ${id} ${row.status}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const [m] = await sql<{ n: number; distinct: number }[]>`
      select count(*)::int as n, count(distinct partition)::int as distinct from materializations where asset = 'day'`;
    const [peak] = await sql<{ peak: number }[]>`
      with r as (select started_at, finished_at from runs where trigger->>'by' = ${id}),
      e as (select started_at as t, 1 as d from r union all select finished_at, -1 from r)
      select max(c)::int as peak from (select sum(d) over (order by t, d) as c from e) x`;
    const [execs] = await sql<{ n: number }[]>`select count(*)::int as n from runs where trigger->>'by' = ${id}`;
    return {
      '1,000-partition backfill (parallel 50), s': +seconds.toFixed(2),
      'materializations': m!.n,
      'distinct partitions materialized': m!.distinct,
      'child runs': execs!.n,
      'most runs in flight': peak!.peak,
      'partitions/s': Math.round(1000 / seconds),
    };
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await native.close();
    await connection.close();
    await sql.end({ timeout: 5 });
    await local.stop();
  }
}

// `tsx test/bench/backfill.bench.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [k, v] of Object.entries(await benchBackfill())) console.log(`${k.padEnd(44)} ${v}`);
}
