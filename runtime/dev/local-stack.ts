// The local stack of `weir dev` and `weir run --ephemeral`: embedded PostgreSQL (or DATABASE_URL), the
// Temporal dev server with tuned dynamic config, migrations applied. Kept under `.weir/` of the project,
// or in a temporary folder that is removed on stop when ephemeral.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { ensureDatabase, resolveDatabase } from './postgres.ts';
import { findTemporalCli, installTemporalCli } from './temporal-cli.ts';
import { startTemporalDevServer } from './temporal-server.ts';

export interface LocalStack {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  temporalUiUrl: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startLocalStack(opts: { projectRoot: string; ephemeral?: boolean; log?: (line: string) => void }): Promise<LocalStack> {
  const dir = opts.ephemeral ? await mkdtemp(join(tmpdir(), 'weir-ephemeral-')) : join(opts.projectRoot, '.weir');
  await mkdir(dir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data folder inside.
  if (opts.ephemeral) await chmod(dir, 0o711);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    if (opts.ephemeral) await rm(dir, { recursive: true, force: true });
  };
  try {
    const cli = findTemporalCli() ?? installTemporalCli({ log: opts.log ?? (() => {}) });
    const [db, temporal] = await Promise.all([
      resolveDatabase({ dataDir: join(dir, 'postgres'), ephemeral: opts.ephemeral ?? false }),
      startTemporalDevServer({ cli, dataDir: join(dir, 'temporal') }),
    ]);
    stops.push(db.stop, temporal.stop);
    const sql = connect(db.url, { max: 1 });
    try {
      await migrate(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
    return { databaseUrl: db.url, temporalAddress: temporal.address, namespace: temporal.namespace, temporalUiUrl: temporal.uiUrl, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Creates (once) a database next to Weir's on the same cluster and returns its URL. */
export async function ensureDevDatabase(weirUrl: string, name: string): Promise<string> {
  await ensureDatabase(weirUrl, name);
  const url = new URL(weirUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
