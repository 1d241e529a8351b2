import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, resolveDatabase, startEmbeddedPostgres } from '../../runtime/dev/postgres.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-dev-pg-'));
  await chmod(root, 0o755);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('keeps data across a restart without initialising the folder again', async () => {
    const dataDir = join(root, 'persist');
    const first = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    expect(first.url).toMatch(/\/weir$/);
    const sql = postgres(first.url, { onnotice: () => undefined });
    await sql`create table kept (value text)`;
    await sql`insert into kept values ('still here')`;
    await sql.end();
    await first.stop();
    const versionBefore = await readFile(join(dataDir, 'PG_VERSION'), 'utf8');

    const second = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    const again = postgres(second.url, { onnotice: () => undefined });
    const rows = await again`select value from kept`;
    await again.end();
    await second.stop();
    expect(rows.map((row) => row['value'])).toEqual(['still here']);
    expect(await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).toBe(versionBefore);
  });

  it('refuses a data folder that a running server owns and says which server', async () => {
    const dataDir = join(root, 'locked');
    const running = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    try {
      const attempt = startEmbeddedPostgres({ dataDir, ephemeral: true });
      await expect(attempt).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(attempt).rejects.toThrow(/in use by another running PostgreSQL server \(pid \d+, port \d+\)/);
    } finally {
      await running.stop();
    }
  });

  it('passes the server output to the log function when one is given', async () => {
    const lines: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'logged'), ephemeral: true, log: (line) => lines.push(line) });
    await server.stop();
    expect(lines.join('\n')).toContain('ready to accept connections');
  });
});

describe('resolveDatabase', () => {
  it('uses DATABASE_URL instead of starting a server', async () => {
    const url = 'postgres://someone@db.example:5432/weir';
    const handle = await resolveDatabase({ dataDir: join(root, 'unused'), env: { DATABASE_URL: url } });
    expect(handle.url).toBe(url);
    await handle.stop();
    await expect(readFile(join(root, 'unused', 'PG_VERSION'))).rejects.toThrow();
  });
});
