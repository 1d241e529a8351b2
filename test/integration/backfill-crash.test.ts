// A backfill survives its worker being killed with SIGKILL: another worker process finishes it, and
// every partition is materialized exactly once by exactly one run.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackfill } from '../../runtime/engine/backfills.ts';
import { getBackfill } from '../../runtime/store/backfills.ts';
import { processStack, type ProcessStack } from './runs-helpers.ts';

const SPECS = `
partitions:
  daily: { kind: time, cadence: daily, start: "2026-01-01" }
assets:
  slow_daily:
    partitions: daily
    retry: { attempts: 3, backoff: fixed, initial: 100ms, max: 100ms }
    step: { kind: command, run: [node, -e, "setTimeout(() => {}, 700)"] }
pipelines:
  slow: { select: slow_daily }
`;

let s: ProcessStack;

beforeAll(async () => {
  s = await processStack(SPECS);
});
afterAll(async () => s?.close());

it('finishes a backfill on another worker after kill -9, each partition materialized once', async () => {
  const doomed = s.spawnWorker();
  const id = await startBackfill(s.rc, s.plan, { pipeline: 'slow', from: '2026-02-01', to: '2026-02-12', reprocess: 'all', parallel: 3 });
  for (let i = 0; i < 300; i++) {
    const [row] = await s.sql<{ n: number }[]>`select count(*)::int as n from backfill_partitions where backfill_id = ${id} and status = 'succeeded'`;
    if (row!.n >= 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  doomed.kill('SIGKILL');
  s.spawnWorker();
  let status = 'running';
  for (let i = 0; i < 600 && (status === 'running' || status === 'paused'); i++) {
    status = (await getBackfill(s.sql, id))?.status ?? 'missing';
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe('succeeded');
  const mats = await s.sql<{ partition: string; n: number }[]>`
    select partition, count(*)::int as n from materializations where asset = 'slow_daily'
      and run_id in (select run_id from backfill_partitions where backfill_id = ${id}) group by partition order by partition`;
  expect(mats).toHaveLength(12);
  expect(mats.every((m) => m.n === 1)).toBe(true);
  const [runs] = await s.sql<{ n: number; partitions: number }[]>`
    select count(*)::int as n, count(distinct partition)::int as partitions from runs where trigger->>'by' = ${id}`;
  expect(runs).toEqual({ n: 12, partitions: 12 });
}, 120_000);
