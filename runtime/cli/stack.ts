// Where a command finds the running stack: the environment (production), else the `.weir/dev.json`
// that `weir dev` writes in the project (local), else a clear message on how to get one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connect, type Sql } from '../store/db.ts';
import { UsageError } from './usage-error.ts';
import { isAlive } from '../dev/postgres.ts';

export interface StackInfo {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** The console/API, when `weir dev` runs one. */
  url?: string;
}

export const devFile = (projectRoot: string): string => join(projectRoot, '.weir', 'dev.json');

export function taskQueueFor(project: string): string {
  return `weir-${project}`;
}

export function resolveStack(projectRoot: string, project: string, env: NodeJS.ProcessEnv = process.env): StackInfo {
  if (env.DATABASE_URL && env.TEMPORAL_ADDRESS) {
    return {
      databaseUrl: env.DATABASE_URL,
      temporalAddress: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      taskQueue: env.WEIR_TASK_QUEUE || taskQueueFor(project),
    };
  }
  let text: string;
  try {
    text = readFileSync(devFile(projectRoot), 'utf8');
  } catch {
    throw new UsageError(
      `no Weir stack for ${projectRoot}: run \`weir dev\` in this project, or set DATABASE_URL and TEMPORAL_ADDRESS (use --ephemeral with \`weir run\` for a throwaway stack)`,
    );
  }
  const info = JSON.parse(text) as StackInfo & { pid?: number };
  if (info.pid !== undefined && !isAlive(info.pid)) {
    throw new UsageError(`the \`weir dev\` of ${projectRoot} (pid ${info.pid}) is not running any more; start it again`);
  }
  return info;
}


export interface StackClients {
  sql: Sql;
  client: Client;
  info: StackInfo;
  close(): Promise<void>;
}

export async function connectStack(info: StackInfo): Promise<StackClients> {
  const sql = connect(info.databaseUrl, { max: 4, applicationName: 'weir-cli' });
  const connection = await Connection.connect({ address: info.temporalAddress });
  const client = new Client({ connection, namespace: info.namespace });
  return {
    sql,
    client,
    info,
    async close() {
      await connection.close();
      await sql.end({ timeout: 5 });
    },
  };
}
