// Brings a database up to the schema this build expects: versioned SQL files, applied once each, in order.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installRoot } from '../install-root.ts';
import type { Sql } from './db.ts';

export interface Migration {
  version: number;
  name: string;
  text: string;
}

const MIGRATIONS_DIR = join(installRoot, 'runtime', 'store', 'migrations');
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;
// Any fixed number: every process that migrates takes the same transaction-scoped lock, so two
// processes starting at once apply each migration exactly once, one after the other.
const MIGRATION_LOCK = 0x7765_6972; // "weir"

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of names) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file ${file} is not named NNN_name.sql`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) throw new Error(`two migrations share version ${version}`);
    migrations.push({ version, name: match[2]!, text: await readFile(join(dir, file), 'utf8') });
  }
  return migrations;
}

/** Applies pending migrations, each in its own transaction; returns the versions it applied. */
export async function migrate(sql: Sql, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  const applied: number[] = [];
  for (const migration of all) {
    const didApply = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      // Created under the lock: a concurrent `create table if not exists` can otherwise collide.
      await tx`
        create table if not exists weir_migrations (
          version    int primary key,
          name       text not null,
          applied_at timestamptz(3) not null default now()
        )`;
      const [done] = await tx`select 1 from weir_migrations where version = ${migration.version}`;
      if (done) return false;
      // Migration files are trusted, static schema text shipped with Weir, never user input:
      // the one place a query is not a tagged template.
      await tx.unsafe(migration.text);
      await tx`insert into weir_migrations (version, name) values (${migration.version}, ${migration.name})`;
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}
