import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDynamicKeys, deleteDynamicKeys, listDynamicKeys } from '../../runtime/store/partitions.ts';
import { currentDeployment, getSpecVersion, recordDeployment, saveSpecVersion } from '../../runtime/store/specs.ts';
import { startTestDatabase, type TestDatabase } from './pg.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
});

afterAll(async () => {
  await db?.stop();
});

const version = (hash: string) => ({
  project: 'demo',
  hash,
  plan: { format: 1, assets: { some_asset: {} } },
  files: { 'pipelines/demo.yaml': 'assets: {}\n' },
  diagnostics: [{ code: 'W001', message: 'unused' }],
});

it('stores a spec version once per hash', async () => {
  const first = await saveSpecVersion(db.sql, version('aaa'));
  const second = await saveSpecVersion(db.sql, version('aaa'));
  expect(first.created).toBe(true);
  expect(second).toEqual({ id: first.id, created: false });
  expect(await getSpecVersion(db.sql, first.id)).toMatchObject({
    project: 'demo',
    plan: { format: 1, assets: { some_asset: {} } },
    files: { 'pipelines/demo.yaml': 'assets: {}\n' },
    diagnostics: [{ code: 'W001', message: 'unused' }],
  });
});

it('makes the latest deployment current and ignores a repeated deploy of it', async () => {
  expect(await currentDeployment(db.sql, 'demo')).toBeNull();
  const a = await saveSpecVersion(db.sql, version('d-a'));
  const b = await saveSpecVersion(db.sql, version('d-b'));
  await recordDeployment(db.sql, 'demo', a.id);
  const [first, repeat] = await Promise.all([recordDeployment(db.sql, 'demo', b.id), recordDeployment(db.sql, 'demo', b.id)]);
  expect([first.created, repeat.created].sort()).toEqual([false, true]);
  const current = await currentDeployment(db.sql, 'demo');
  expect(current?.version.hash).toBe('d-b');
  const [count] = await db.sql`select count(*) as n from deployments where project = 'demo'`;
  expect(count?.['n']).toBe(2);
});

it('adds dynamic partition keys once and lists them in the order added', async () => {
  expect(await addDynamicKeys(db.sql, 'customers', ['zeta', 'alpha', 'mid', 'alpha'])).toEqual(['zeta', 'alpha', 'mid']);
  expect(await addDynamicKeys(db.sql, 'customers', ['mid', 'beta'])).toEqual(['beta']);
  expect(await listDynamicKeys(db.sql, 'customers')).toEqual(['zeta', 'alpha', 'mid', 'beta']);
  expect(await deleteDynamicKeys(db.sql, 'customers', ['alpha', 'nope'])).toBe(1);
  expect(await listDynamicKeys(db.sql, 'customers')).toEqual(['zeta', 'mid', 'beta']);
  expect(await listDynamicKeys(db.sql, 'other')).toEqual([]);
});
