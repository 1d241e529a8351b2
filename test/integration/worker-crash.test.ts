// A worker killed with SIGKILL mid-step: another worker finishes the run, and every record exists once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listMaterializationsOfRun } from '../../runtime/store/run-details.ts';
import { listSteps } from '../../runtime/store/steps.ts';
import { processStack, type ProcessStack } from './runs-helpers.ts';

const SPECS = `
assets:
  first:
    step: { kind: command, run: [node, -e, "console.log('first')"] }
  long_load:
    deps: [first]
    retry: { attempts: 3, backoff: fixed, initial: 100ms, max: 100ms }
    step:
      kind: command
      run: [node, -e, "setTimeout(() => { require('fs').appendFileSync(process.env.WEIR_OUTPUT, JSON.stringify({metadata: {rows: 7}}) + '\\\\n'); console.log('loaded') }, 3000)"]
  last:
    deps: [long_load]
    step: { kind: command, run: [node, -e, "console.log('last')"] }
pipelines:
  crash: { select: "*" }
`;

let s: ProcessStack;

beforeAll(async () => {
  s = await processStack(SPECS);
});
afterAll(async () => s?.close());

it('finishes the run on another worker after kill -9 mid-step, with every record exactly once', async () => {
  const doomed = s.spawnWorker();
  const runId = await s.start('crash');
  // Wait until the long step is running on the doomed worker, then kill it without warning.
  for (let i = 0; i < 300; i++) {
    const [a] = await s.sql`select 1 from step_attempts where run_id = ${runId} and step = 'long_load' and status = 'running'`;
    if (a) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  doomed.kill('SIGKILL');
  s.spawnWorker();
  const run = await s.wait(runId);
  expect(run.status).toBe('succeeded');

  const steps = await listSteps(s.sql, runId);
  expect(steps.map((x) => [x.name, x.status]).sort()).toEqual([['first', 'succeeded'], ['last', 'succeeded'], ['long_load', 'succeeded']]);
  const long = steps.find((x) => x.name === 'long_load')!;
  expect(long.attemptHistory.map((a) => a.status)).toEqual(['failed', 'succeeded']);
  expect(long.attemptHistory[0]!.error).toContain('stopped responding');
  const mats = await listMaterializationsOfRun(s.sql, runId);
  expect(mats.map((m) => m.asset).sort()).toEqual(['first', 'last', 'long_load']);
  expect(mats.find((m) => m.asset === 'long_load')!.metadata).toEqual({ rows: 7 });
  const [dupes] = await s.sql`select count(*)::int as n from (select key from events where run_id = ${runId} group by key having count(*) > 1) d`;
  expect(dupes!.n).toBe(0);
  const stateEvents = await s.sql<{ key: string }[]>`select key from events where run_id = ${runId} and key like 'step:%' order by key`;
  expect(stateEvents.map((e) => e.key)).toEqual(['step:first:succeeded', 'step:last:succeeded', 'step:long_load:succeeded']);
}, 90_000);
