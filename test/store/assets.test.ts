import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  latestMaterializations,
  materializationHistory,
  partitionStatus,
  recordCheckResult,
  recordMaterialization,
  recordPartitionFailure,
} from '../../runtime/store/assets.ts';
import { startTestDatabase, type TestDatabase } from './pg.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
});

afterAll(async () => {
  await db?.stop();
});

it('records a replayed materialization once', async () => {
  const input = { asset: 'orders', partition: '2024-01-01', runId: 'r1', stepAttempt: 1, metadata: { row_count: 5 }, fingerprint: 'f1' };
  const first = await recordMaterialization(db.sql, input);
  const second = await recordMaterialization(db.sql, input);
  expect(first.created).toBe(true);
  expect(second.created).toBe(false);
  expect(second.materialization).toEqual(first.materialization);
  expect(first.materialization.metadata).toEqual({ row_count: 5 });
  const [count] = await db.sql`select count(*) as n from materializations where asset = 'orders'`;
  expect(count?.['n']).toBe(1);
});

it('makes a materialization the partition state, and a later failure keeps the last good one', async () => {
  const { materialization } = await recordMaterialization(db.sql, { asset: 'sales', partition: 'eu', runId: 'r2' });
  expect(await partitionStatus(db.sql, 'sales')).toMatchObject([
    { partition: 'eu', status: 'materialized', lastRunId: 'r2', lastMaterializationId: materialization.id },
  ]);
  await recordPartitionFailure(db.sql, { asset: 'sales', partition: 'eu', runId: 'r3' });
  await recordPartitionFailure(db.sql, { asset: 'sales', partition: 'eu', runId: 'r3' });
  expect(await partitionStatus(db.sql, 'sales')).toMatchObject([
    { partition: 'eu', status: 'failed', lastRunId: 'r3', lastMaterializationId: materialization.id },
  ]);
});

it('does not let a replay of an older materialization move the partition state back', async () => {
  await recordMaterialization(db.sql, { asset: 'users', runId: 'old' });
  const newer = await recordMaterialization(db.sql, { asset: 'users', runId: 'new' });
  await recordMaterialization(db.sql, { asset: 'users', runId: 'old' });
  expect(await partitionStatus(db.sql, 'users')).toMatchObject([
    { partition: '', status: 'materialized', lastRunId: 'new', lastMaterializationId: newer.materialization.id },
  ]);
});

it('does not mark failed a partition the same run materialized', async () => {
  await recordMaterialization(db.sql, { asset: 'clicks', runId: 'r9' });
  await recordPartitionFailure(db.sql, { asset: 'clicks', runId: 'r9' });
  expect((await partitionStatus(db.sql, 'clicks'))[0]?.status).toBe('materialized');
});

it('returns the newest materialization per asset and the history newest first', async () => {
  await recordMaterialization(db.sql, { asset: 'events', partition: 'a', runId: 'h1' });
  await recordMaterialization(db.sql, { asset: 'events', partition: 'b', runId: 'h2' });
  const latest = await latestMaterializations(db.sql, ['events', 'orders', 'never']);
  expect(latest.map((m) => [m.asset, m.runId])).toEqual([['events', 'h2'], ['orders', 'r1']]);
  expect((await materializationHistory(db.sql, 'events')).map((m) => m.runId)).toEqual(['h2', 'h1']);
  expect((await materializationHistory(db.sql, 'events', { partition: 'a' })).map((m) => m.runId)).toEqual(['h1']);
});

it('records a replayed check result once', async () => {
  const input = { asset: 'orders', partition: '2024-01-01', runId: 'r1', checkName: 'not_null', passed: false, severity: 'error' as const, metadata: { failing_rows: 2 } };
  const first = await recordCheckResult(db.sql, input);
  const second = await recordCheckResult(db.sql, { ...input, passed: true });
  expect(first.created).toBe(true);
  expect(second).toEqual({ result: first.result, created: false });
  expect(first.result).toMatchObject({ passed: false, severity: 'error', metadata: { failing_rows: 2 } });
});
