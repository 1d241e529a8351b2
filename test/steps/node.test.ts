import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { nodeStep } from '../../runtime/steps/node.ts';
import { StepError } from '../../runtime/steps/step-context.ts';
import type { NodeStep } from '../../runtime/spec/generated/types.ts';
import { tempProject, testContext } from './context.ts';
import type { TestContext } from './context.ts';

let root: string;
let t: TestContext | undefined;

beforeAll(async () => {
  root = await tempProject();
  await Promise.all([
    writeFile(
      path.join(root, 'load.mjs'),
      `export async function load({ args, partition, params, runId, log }) {
        log('loading', args.table);
        return { metadata: { rows: 42, table: args.table, limit: args.limit, partition: partition.key, full: params.full, runId }, outputs: { path: 'out/' + partition.key } };
      }
      export default () => {};
      setInterval(() => {}, 1000); // a leaked handle must not keep the step running\n`,
    ),
    writeFile(path.join(root, 'typed.ts'), 'export default async ({ args }: { args: { n: number } }): Promise<{ outputs: { double: number } }> => ({ outputs: { double: args.n * 2 } });\n'),
    writeFile(path.join(root, 'weird.mjs'), 'export default () => 42;\nexport const notAFunction = 1;\n'),
    writeFile(path.join(root, 'crash.mjs'), 'export default () => { process.exit(9); };\n'),
  ]);
});
afterEach(() => t?.close());

function run(spec: Omit<NodeStep, 'kind'>) {
  t = testContext({ projectRoot: root, values: { partition: { key: '2026-03-01' }, params: { full: true, limit: 10 } } });
  return nodeStep.execute(t.ctx, { kind: 'node', ...spec });
}

describe('node steps', () => {
  test('call the named export with rendered args and return its metadata and outputs', async () => {
    const report = await run({ module: 'load.mjs', export: 'load', args: { table: 'orders_${partition.key}', limit: '${params.limit}' } });
    expect(report).toEqual({
      metadata: { rows: 42, table: 'orders_2026-03-01', limit: 10, partition: '2026-03-01', full: true, runId: 'run-test' },
      outputs: { path: 'out/2026-03-01' },
    });
    expect(t!.logs).toContainEqual({ level: 'info', message: 'loading orders_2026-03-01', stream: 'stdout' });
  });

  test('run a TypeScript module', async () => {
    expect(await run({ module: 'typed.ts', args: { n: 21 } })).toEqual({ metadata: {}, outputs: { double: 42 } });
  });

  test('refuse a missing export and a return value that is not a report', async () => {
    const missing = await run({ module: 'weird.mjs', export: 'notAFunction' }).catch((e: unknown) => e);
    expect((missing as StepError).message).toBe('`weird.mjs#notAFunction` failed: ExportError: the module has no exported function `notAFunction`');
    expect((missing as StepError).retryable).toBe(false);
    const weird = await run({ module: 'weird.mjs' }).catch((e: unknown) => e);
    expect((weird as StepError).message).toMatch(/must return \{ metadata\?, outputs\? \}/);
  });

  test('report a process that exits without answering', async () => {
    const error = await run({ module: 'crash.mjs' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).exitCode).toBe(9);
  });

  test('refuse a module outside the project', async () => {
    const error = await run({ module: '../outside.mjs' }).catch((e: unknown) => e);
    expect((error as StepError).message).toBe('module `../outside.mjs` is outside the project');
  });
});
