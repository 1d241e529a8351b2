import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../../runtime/store/db.ts';
import { loadMigrations, migrate } from '../../runtime/store/migrate.ts';
import { startTestDatabase, type TestDatabase } from './pg.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase({ migrate: false });
});

afterAll(async () => {
  await db?.stop();
});

async function freshDatabase(name: string): Promise<string> {
  await db.sql`create database ${db.sql(name)}`;
  return db.url.replace(/\/weir$/, `/${name}`);
}

it('applies every migration once and nothing on a second run', async () => {
  const url = await freshDatabase('twice');
  const sql = connect(url, { max: 1 });
  try {
    const versions = (await loadMigrations()).map((m) => m.version);
    expect(await migrate(sql)).toEqual(versions);
    expect(await migrate(sql)).toEqual([]);
    const rows = await sql`select version from weir_migrations order by version`;
    expect(rows.map((row) => row['version'])).toEqual(versions);
  } finally {
    await sql.end();
  }
});

it('applies each migration exactly once when two processes migrate at the same time', async () => {
  const url = await freshDatabase('concurrent');
  const a = connect(url, { max: 1 });
  const b = connect(url, { max: 1 });
  try {
    const [fromA, fromB] = await Promise.all([migrate(a), migrate(b)]);
    const versions = (await loadMigrations()).map((m) => m.version);
    expect([...fromA, ...fromB].sort()).toEqual(versions);
    const [count] = await a`select count(*) as n from weir_migrations`;
    expect(count?.['n']).toBe(versions.length);
    const [table] = await a`select to_regclass('runs') is not null as present`;
    expect(table?.['present']).toBe(true);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

it('rejects a migration file that is not named NNN_name.sql', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'weir-migrations-'));
  await writeFile(join(dir, 'add-things.sql'), 'select 1');
  await expect(loadMigrations(dir)).rejects.toThrow('migration file add-things.sql is not named NNN_name.sql');
});
