// Pipeline concurrency under a worker crash: runs queued behind a limit of 1 all finish, one at a time,
// after the worker running the first one is killed with SIGKILL and another takes over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getRun } from '../../runtime/store/runs.ts';
import { processStack, type ProcessStack } from './runs-helpers.ts';

const SPECS = `
assets:
  nightly_load:
    retry: { attempts: 3, backoff: fixed, initial: 100ms, max: 100ms }
    step: { kind: command, run: [node, -e, "setTimeout(() => {}, 1500)"] }
pipelines:
  one_at_a_time:
    select: nightly_load
    concurrency: { limit: 1, behavior: queue }
`;

let s: ProcessStack;

beforeAll(async () => {
  s = await processStack(SPECS);
});
afterAll(async () => s?.close());

it('never runs two at once and leaves nothing stuck in the queue after kill -9 of the worker', async () => {
  const doomed = s.spawnWorker();
  const ids = [await s.start('one_at_a_time'), await s.start('one_at_a_time'), await s.start('one_at_a_time')];
  for (let i = 0; i < 300; i++) {
    if ((await getRun(s.sql, ids[0]!))?.status === 'running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  doomed.kill('SIGKILL');
  s.spawnWorker();
  const runs = await Promise.all(ids.map((id) => s.wait(id)));
  expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  // Never two at once: each run started after the previous one finished.
  const ordered = [...runs].sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
  for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(ordered[i - 1]!.finishedAt!.getTime());
}, 120_000);
