// vitest globalSetup for test/integration: one PostgreSQL, one tuned Temporal dev server and one
// workflow bundle for the whole suite (bundling in each test file is slow, and crashes `threads`).
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { installRoot } from '../../../runtime/install-root.ts';
import { resolveDatabase } from '../../../runtime/dev/postgres.ts';
import type { DatabaseHandle } from '../../../runtime/dev/postgres.ts';
import { findTemporalCli, installTemporalCli } from '../../../runtime/dev/temporal-cli.ts';
import { startTemporalDevServer } from '../../../runtime/dev/temporal-server.ts';
import type { TemporalDevServer } from '../../../runtime/dev/temporal-server.ts';
import type { IntegrationEnv } from './provided.ts';

/** The product's workflows; `WEIR_TEST_WORKFLOWS` points the suite at another module. */
export const PRODUCT_WORKFLOWS = join(installRoot, 'workflows', 'index.ts');
const HARNESS_WORKFLOWS = new URL('./placeholder-workflows.ts', import.meta.url).pathname;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const workDir = await mkdtemp(join(tmpdir(), 'weir-integration-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(workDir, 0o755);
  const log = (line: string): void => console.log(`[integration] ${line}`);
  let database: DatabaseHandle | undefined;
  let temporal: TemporalDevServer | undefined;
  const teardown = async (): Promise<void> => {
    await Promise.allSettled([temporal?.stop(), database?.stop()]);
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    // Independent and each a few seconds long: start them together, and wait for all of them even
    // when one fails, so teardown stops whatever did start.
    const [db, server, bundle] = await Promise.allSettled([
      resolveDatabase({ dataDir: join(workDir, 'postgres'), ephemeral: true }),
      startTemporalDevServer({ cli: findTemporalCli() ?? installTemporalCli({ log }), dataDir: join(workDir, 'temporal') }),
      bundleWorkflows(workDir),
    ]);
    if (db.status === 'fulfilled') database = db.value;
    if (server.status === 'fulfilled') temporal = server.value;
    for (const result of [db, server, bundle]) if (result.status === 'rejected') throw result.reason;
    const env: IntegrationEnv = {
      databaseUrl: database!.url,
      temporalAddress: temporal!.address,
      namespace: temporal!.namespace,
      workflowBundlePath: (bundle as PromiseFulfilledResult<string>).value,
    };
    project.provide('integration', env);
    log(`ready in ${Math.round(performance.now() - started)} ms (Temporal ${temporal!.address}, UI ${temporal!.uiUrl})`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function bundleWorkflows(workDir: string): Promise<string> {
  const product = process.env['WEIR_TEST_WORKFLOWS'] ? resolve(process.env['WEIR_TEST_WORKFLOWS']) : PRODUCT_WORKFLOWS;
  const modules = [HARNESS_WORKFLOWS, ...(existsSync(product) ? [product] : [])];
  // One entry re-exporting every module: the harness's smoke workflow and the product's workflows.
  const entry = join(workDir, 'workflows-entry.ts');
  await writeFile(entry, modules.map((file) => `export * from ${JSON.stringify(file)};\n`).join(''));
  const { code } = await bundleWorkflowCode({
    workflowsPath: entry,
    logger: quietLogger,
    // The entry lives outside the repository; the SDK's own modules still resolve from ours.
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? ['node_modules']), join(installRoot, 'node_modules')] },
    }),
  });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  await writeFile(bundlePath, code);
  return bundlePath;
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
