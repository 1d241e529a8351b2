// Helpers for integration test files: the suite's environment and a worker on a task queue of its own.
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import type { IntegrationEnv } from './provided.ts';

export function integrationEnv(): IntegrationEnv {
  return inject('integration');
}

export interface TestWorker {
  worker: Worker;
  client: Client;
  taskQueue: string;
  /** Shuts the worker down (if running) and closes the connection. */
  close(): Promise<void>;
}

/** A worker running the suite's bundle on a fresh task queue, so test files never steal each other's tasks. */
export async function createTestWorker(
  options: Pick<WorkerOptions, 'activities'> & Partial<Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath'>>,
): Promise<TestWorker> {
  quietRuntime();
  const env = integrationEnv();
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const worker = await Worker.create({
    namespace: env.namespace,
    ...options,
    taskQueue,
    connection,
    workflowBundle: { codePath: env.workflowBundlePath },
  });
  const client = new Client({ connection, namespace: env.namespace });
  return {
    worker,
    client,
    taskQueue,
    close: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await connection.close();
    },
  };
}

let runtimeInstalled = false;
// The SDK logs every worker state change at INFO; keep test output to warnings. Only possible before
// the first worker of the process, hence once.
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // A runtime already exists in this process: keep it.
  }
}
