import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRun } from '../../runtime/store/runs.ts';
import { listSteps, recordAttemptFinish, recordAttemptStart, upsertStepState } from '../../runtime/store/steps.ts';
import { startTestDatabase, type TestDatabase } from './pg.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  for (const id of ['s1', 's2', 's3', 's4']) {
    await createRun(db.sql, { id, project: 'demo', pipeline: 'p', planHash: 'h', trigger: { kind: 'manual' } });
  }
});

afterAll(async () => {
  await db?.stop();
});

it('keeps one row per step when the same state is recorded twice', async () => {
  const state = { runId: 's1', name: 'extract', kind: 'asset' as const, asset: 'raw', status: 'running' as const };
  expect(await upsertStepState(db.sql, state)).toBe(true);
  await upsertStepState(db.sql, state);
  const [count] = await db.sql`select count(*) as n from run_steps where run_id = 's1'`;
  expect(count?.['n']).toBe(1);
});

it('never lets a late running state overwrite a finished step', async () => {
  await upsertStepState(db.sql, { runId: 's2', name: 'load', kind: 'task', status: 'running' });
  await upsertStepState(db.sql, {
    runId: 's2', name: 'load', kind: 'task', status: 'succeeded', exitCode: 0,
    metadata: { rows: 10 }, outputs: { path: '/tmp/out' },
  });
  expect(await upsertStepState(db.sql, { runId: 's2', name: 'load', kind: 'task', status: 'running' })).toBe(false);
  const [step] = await listSteps(db.sql, 's2');
  expect(step).toMatchObject({ status: 'succeeded', exitCode: 0, metadata: { rows: 10 }, outputs: { path: '/tmp/out' } });
  expect(step?.startedAt).toBeInstanceOf(Date);
  expect(step?.finishedAt).toBeInstanceOf(Date);
});

it('merges metadata reported in pieces', async () => {
  await upsertStepState(db.sql, { runId: 's3', name: 'm', kind: 'task', status: 'running', metadata: { a: 1 } });
  await upsertStepState(db.sql, { runId: 's3', name: 'm', kind: 'task', status: 'running', metadata: { b: 2 } });
  const [step] = await listSteps(db.sql, 's3');
  expect(step?.metadata).toEqual({ a: 1, b: 2 });
});

it('records each attempt once and keeps the first outcome of an attempt', async () => {
  await upsertStepState(db.sql, { runId: 's4', name: 'flaky', kind: 'task', status: 'running' });
  const first = { runId: 's4', step: 'flaky', attempt: 1, worker: 'w1' };
  expect(await recordAttemptStart(db.sql, first)).toBe(true);
  expect(await recordAttemptStart(db.sql, first)).toBe(false);
  expect(await recordAttemptFinish(db.sql, { ...first, status: 'failed', exitCode: 2, error: 'boom' })).toBe(true);
  expect(await recordAttemptFinish(db.sql, { ...first, status: 'succeeded', exitCode: 0 })).toBe(false);
  await recordAttemptStart(db.sql, { runId: 's4', step: 'flaky', attempt: 2, worker: 'w2' });
  await recordAttemptFinish(db.sql, { runId: 's4', step: 'flaky', attempt: 2, status: 'succeeded', exitCode: 0 });

  const [step] = await listSteps(db.sql, 's4');
  expect(step?.attempts).toBe(2);
  expect(step?.attemptHistory.map((a) => [a.attempt, a.status, a.exitCode, a.error, a.worker])).toEqual([
    [1, 'failed', 2, 'boom', 'w1'],
    [2, 'succeeded', 0, null, 'w2'],
  ]);
});

it('records a finish whose start was never recorded', async () => {
  await upsertStepState(db.sql, { runId: 's4', name: 'lost', kind: 'task', status: 'running' });
  await recordAttemptFinish(db.sql, { runId: 's4', step: 'lost', attempt: 1, status: 'cancelled' });
  const steps = await listSteps(db.sql, 's4');
  expect(steps.find((s) => s.name === 'lost')?.attemptHistory.map((a) => a.status)).toEqual(['cancelled']);
});

it('lists steps in the order they started, pending ones last', async () => {
  await upsertStepState(db.sql, { runId: 's3', name: 'a-later', kind: 'task', status: 'pending' });
  await upsertStepState(db.sql, { runId: 's3', name: 'z-next', kind: 'task', status: 'running' });
  const names = (await listSteps(db.sql, 's3')).map((s) => s.name);
  expect(names).toEqual(['m', 'z-next', 'a-later']);
});
