// Benchmark: the "raw Temporal" baseline for DESIGN.md §8 — a 100-activity chain and a 1,000-wide
// fan-out with 50 in flight, and a one-step run (trigger to result), written directly against the SDK
// and run on the dev server as shipped and with Weir's tuning (TUNED_DYNAMIC_CONFIG, TUNED_SQLITE_PRAGMAS). Run: `npx tsx test/bench/temporal-baseline.bench.ts`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { findTemporalCli } from '../../runtime/dev/temporal-cli.ts';
import { startTemporalDevServer, TUNED_DYNAMIC_CONFIG, TUNED_SQLITE_PRAGMAS } from '../../runtime/dev/temporal-server.ts';
import type { chainWorkflow, fanOutWorkflow } from './baseline-workflows.ts';

const CHAIN = 100;
const FAN_OUT = 1000;
const PARALLELISM = 50;
const TRIGGERS = 20;

type Figures = Record<string, number | string>;

export async function benchTemporalBaseline(): Promise<Figures> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('no Temporal CLI: run `npx tsx runtime/dev/install-tools.ts` or set TEMPORAL_CLI');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { code } = await bundleWorkflowCode({
    workflowsPath: new URL('./baseline-workflows.ts', import.meta.url).pathname,
    logger: quietLogger,
  });
  const figures: Figures = {};
  // The dev server as shipped; with the dynamic config only; with the SQLite pragmas too (what Weir uses).
  const variants = [
    ['default', {}, {}],
    ['tuned config', TUNED_DYNAMIC_CONFIG, {}],
    ['tuned config+wal', TUNED_DYNAMIC_CONFIG, TUNED_SQLITE_PRAGMAS],
  ] as const;
  for (const [label, dynamicConfig, pragmas] of variants) {
    for (const [key, value] of Object.entries(await measure(cli, code, dynamicConfig, pragmas))) figures[`${label}: ${key}`] = value;
  }
  return figures;
}

export async function measure(
  cli: string,
  code: string,
  dynamicConfig: Readonly<Record<string, string | number | boolean>>,
  sqlitePragmas?: Readonly<Record<string, string>>,
): Promise<Figures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'weir-bench-temporal-'));
  const server = await startTemporalDevServer({ cli, dataDir, dynamicConfig, sqlitePragmas });
  const connection = await NativeConnection.connect({ address: server.address });
  try {
    const taskQueue = 'baseline';
    let inFlight = 0;
    let maxInFlight = 0;
    const firstStepAt = new Map<string, number>();
    const worker = await Worker.create({
      connection,
      namespace: server.namespace,
      taskQueue,
      workflowBundle: { code },
      maxConcurrentActivityTaskExecutions: 200,
      activities: {
        async noop(): Promise<void> {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await Promise.resolve();
          inFlight--;
        },
        async mark(id: string): Promise<void> {
          firstStepAt.set(id, performance.now());
        },
      },
    });
    // The client shares the worker's connection, which eager workflow start needs.
    const client = new Client({ connection, namespace: server.namespace });
    const run = async (name: 'chainWorkflow' | 'fanOutWorkflow', args: number[]): Promise<number> => {
      const started = performance.now();
      await client.workflow.execute<typeof chainWorkflow | typeof fanOutWorkflow>(name, {
        taskQueue,
        workflowId: `${name}-${crypto.randomUUID()}`,
        args: args as [number, number],
      });
      return performance.now() - started;
    };
    return await worker.runUntil(async () => {
      await run('chainWorkflow', [5]); // warm-up: caches, sticky queue, first bundle load
      const chainMs = await run('chainWorkflow', [CHAIN]);
      maxInFlight = 0;
      const fanMs = await run('fanOutWorkflow', [FAN_OUT, PARALLELISM]);
      const triggers: number[] = [];
      for (let i = 0; i < TRIGGERS; i++) {
        const started = performance.now();
        const handle = await client.workflow.start<typeof chainWorkflow>('chainWorkflow', {
          taskQueue,
          workflowId: `trigger-${crypto.randomUUID()}`,
          args: [1],
          requestEagerStart: true,
        });
        await handle.result();
        // chain of 1: the whole run is trigger → workflow task → one activity → completion.
        triggers.push(performance.now() - started);
      }
      return {
        'chain ms/step': round(chainMs / CHAIN),
        'chain total ms': Math.round(chainMs),
        'fan-out steps/s': Math.round((FAN_OUT / fanMs) * 1000),
        'fan-out total ms': Math.round(fanMs),
        'fan-out max concurrent on worker': maxInFlight,
        '1-step run p50 ms': round(median(triggers)),
      };
    });
  } finally {
    await connection.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const round = (n: number): number => Math.round(n * 10) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [key, value] of Object.entries(await benchTemporalBaseline())) console.log(`${key.padEnd(52)} ${value}`);
}
