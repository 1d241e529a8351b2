// A real, throwaway PostgreSQL for a test file: its own cluster, port and folder, migrated and ready.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../runtime/dev/postgres.ts';
import { connect, type Sql } from '../../runtime/store/db.ts';
import { migrate } from '../../runtime/store/migrate.ts';

export interface TestDatabase {
  url: string;
  sql: Sql;
  /** The folder holding the cluster, removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export async function startTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-test-pg-'));
  // When tests run as root the server runs as the postgres user, which must reach the folder.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), ephemeral: true });
  const sql = connect(server.url, { max: 4, applicationName: 'weir-test' });
  if (options.migrate !== false) await migrate(sql);
  return {
    url: server.url,
    sql,
    dir,
    async stop() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
