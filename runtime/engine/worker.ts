// A Weir worker: polls the project's task queue and runs workflows (from the prebuilt bundle) and
// the run activities. Stateless: any number can run; a killed one loses no run.
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type postgres from 'postgres';
import { installRoot } from '../install-root.ts';
import type { Sql } from '../store/db.ts';
import { createRunActivities } from './activities.ts';
import { createAutomationActivities } from './automation-activities.ts';
import { createBackfillActivities } from './backfills.ts';
import { createPoolActivities } from './pool-activities.ts';
import { createScheduleActivities } from './schedules.ts';
import { createSensorActivities } from './sensors.ts';

export const WORKFLOW_BUNDLE = join(installRoot, 'dist', 'workflow-bundle.js');
export const WORKFLOWS_ENTRY = join(installRoot, 'workflows', 'index.ts');

export interface WorkerConfig {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  sql: Sql;
  projectRoot: string;
  /** Values for `${env.X}`: the worker's environment. */
  env: Record<string, string | undefined>;
  /** Values for `${secret.X}`. */
  secrets: Record<string, string>;
  /** Prebuilt workflow bundle; defaults to dist/workflow-bundle.js, else the workflows are bundled at start. */
  workflowBundlePath?: string;
  maxConcurrentActivities?: number;
  /** How long running steps may finish after SIGTERM before they are cancelled. */
  shutdownGraceMs?: number;
  identity?: string;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown() or a fatal error). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** The SDK logs every state change at INFO; a worker inside a CLI command should only speak up for problems. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.WEIR_LOG_LEVEL?.toUpperCase() as 'WARN') ?? 'WARN') });
  } catch {
    // Already installed by the host (tests install their own): keep it.
  }
}

export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const identity = config.identity ?? `weir-worker@${hostname()}:${process.pid}`;
  const resourcePools = new Map<string, postgres.Sql>();
  const runActivities = createRunActivities({
    sql: config.sql,
    workerId: identity,
    projectRoot: config.projectRoot,
    env: config.env,
    secrets: config.secrets,
    resourcePools,
    outputLimitBytes: 1_000_000,
  });
  const activities = {
    ...runActivities,
    ...createScheduleActivities({ sql: config.sql }),
    ...createPoolActivities({ sql: config.sql }),
    ...createBackfillActivities({ sql: config.sql }),
    ...createAutomationActivities({ sql: config.sql }),
    ...createSensorActivities({ sql: config.sql, projectRoot: config.projectRoot, env: config.env, secrets: config.secrets }),
  };
  const bundlePath = config.workflowBundlePath ?? (existsSync(WORKFLOW_BUNDLE) ? WORKFLOW_BUNDLE : undefined);
  const options: WorkerOptions = {
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    identity,
    activities,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_ENTRY }),
    maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities ?? 100,
    shutdownGraceTime: config.shutdownGraceMs ?? 30_000,
    // Heartbeats carry cancellation to a running step: send them within a second, not the SDK's 80 % of the timeout.
    maxHeartbeatThrottleInterval: '1s',
  };
  const worker = await Worker.create(options);
  const done = worker.run().finally(async () => {
    await Promise.all([...resourcePools.values()].map((p) => p.end({ timeout: 5 })));
    await connection.close();
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
