// Benchmarks of runs through Weir itself (workflow + activities + recording in PostgreSQL) on a local
// stack: a 100-step chain, a 1,000-wide fan-out with parallelism 50, trigger → first step latency.
// Targets (DESIGN.md §8): ≤ 15 ms/step, ≥ 100 steps/s and never > 50 in flight, p50 ≤ 100 ms.
import { Client, Connection } from '@temporalio/client';
import { writeProject } from '../integration/runs-helpers.ts';
import { compileProject } from '../../runtime/cli/project.ts';
import { followRun } from '../../runtime/cli/follow-run.ts';
import { startLocalStack } from '../../runtime/dev/local-stack.ts';
import { deployPlan } from '../../runtime/engine/deploy.ts';
import { startRun, type RunsClient } from '../../runtime/engine/runs-client.ts';
import { startWorker } from '../../runtime/engine/worker.ts';
import { connect } from '../../runtime/store/db.ts';

// The cheapest real step: a `command` that starts `true` (a process per step, as users' steps do).
const NOOP = '{ kind: command, run: ["true"] }';

function chainSpec(n: number): string {
  const lines = ['assets:'];
  for (let i = 0; i < n; i++) lines.push(`  c${i}:`, ...(i ? [`    deps: [c${i - 1}]`] : []), `    step: ${NOOP}`);
  return lines.join('\n');
}

function fanOutSpec(n: number): string {
  const lines = ['assets:'];
  for (let i = 0; i < n; i++) lines.push(`  f${i}:`, `    group: fan`, `    step: ${NOOP}`);
  return lines.join('\n');
}

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

export async function benchRuns(): Promise<Record<string, number | string>> {
  const root = await writeProject({
    'weir.yaml': 'project: bench\nspecs: [specs]\n',
    'specs/chain.yaml': `${chainSpec(100)}\npipelines:\n  chain: { select: "+c99" }\n`,
    'specs/fan.yaml': `${fanOutSpec(1000)}\npipelines:\n  fan: { select: "group:fan", max_parallel: 50 }\n  single: { select: f0 }\n`,
  });
  const { checked, plan, referenced } = await compileProject(root);
  const local = await startLocalStack({ projectRoot: root, ephemeral: true });
  const sql = connect(local.databaseUrl, { max: 8 });
  const connection = await Connection.connect({ address: local.temporalAddress });
  const rc: RunsClient = { client: new Client({ connection, namespace: local.namespace }), sql, taskQueue: 'bench' };
  const worker = await startWorker({ temporalAddress: local.temporalAddress, namespace: local.namespace, taskQueue: 'bench', sql, projectRoot: root, env: { PATH: process.env.PATH }, secrets: {}, maxConcurrentActivities: 100 });
  try {
    await deployPlan(sql, checked, plan, referenced);
    const run = async (pipeline: string) => {
      const started = performance.now();
      const { runId } = await startRun(rc, plan, { pipeline }, { kind: 'manual', by: 'bench' });
      const row = await followRun(sql, runId, quiet, 20);
      if (row.status !== 'succeeded') throw new Error(`${pipeline} ${row.status}: ${row.error}`);
      return { runId, ms: performance.now() - started };
    };
    await run('single'); // warm-up: worker caches, connections
    const chain = await run('chain');
    const fan = await run('fan');
    // Most steps in flight at once, from the steps' own recorded attempt start and end times.
    const [peak] = await sql<{ peak: number }[]>`
      with e as (
        select started_at as t, 1 as d from step_attempts where run_id = ${fan.runId}
        union all select finished_at, -1 from step_attempts where run_id = ${fan.runId})
      select max(c)::int as peak from (select sum(d) over (order by t, d) as c from e) x`;
    // Where a chain step's time goes: inside the activity (attempt start → finish) or between steps.
    const [split] = await sql<{ inside: number; between: number }[]>`
      with a as (select started_at, finished_at, lag(finished_at) over (order by started_at) as prev
                 from step_attempts where run_id = ${chain.runId})
      select avg(extract(epoch from finished_at - started_at) * 1000)::float as inside,
             avg(extract(epoch from started_at - prev) * 1000)::float as between from a`;
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = Date.now();
      const { runId } = await startRun(rc, plan, { pipeline: 'single' }, { kind: 'manual', by: 'bench' });
      await followRun(sql, runId, quiet, 20);
      const [first] = await sql<{ startedAt: Date }[]>`select started_at from step_attempts where run_id = ${runId} order by started_at limit 1`;
      latencies.push(first!.startedAt.getTime() - t0);
    }
    latencies.sort((a, b) => a - b);
    return {
      '100-step chain, total ms': Math.round(chain.ms),
      '100-step chain, ms/step': +(chain.ms / 100).toFixed(1),
      '100-step chain, ms in the step': +split!.inside.toFixed(1),
      '100-step chain, ms between steps': +split!.between.toFixed(1),
      '1,000 fan-out (parallel 50), s': +(fan.ms / 1000).toFixed(2),
      '1,000 fan-out, steps/s': Math.round(1000 / (fan.ms / 1000)),
      '1,000 fan-out, most in flight': peak!.peak,
      'trigger → first step, p50 ms': latencies[10]!,
      'trigger → first step, p90 ms': latencies[18]!,
    };
  } finally {
    await worker.shutdown();
    await connection.close();
    await sql.end({ timeout: 5 });
    await local.stop();
  }
}
