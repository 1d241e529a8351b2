// `node` steps: an exported function of a project module, called in a child process so a crash,
// a hang or a leaked handle in user code cannot take the worker down, and cancellation can kill it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StepReport } from '../engine/run-input.ts';
import type { NodeStep } from '../spec/generated/types.ts';
import { renderValue } from '../spec/expressions.ts';
import { runChild } from './child-process.ts';
import { commandFailure, stepEnv } from './command.ts';
import { defineExecutor } from './guard-step.ts';
import { resolveInProject } from './project-path.ts';
import { StepError } from './step-context.ts';
import type { StepContext } from './step-context.ts';

const RUNNER = fileURLToPath(new URL('./node-runner.mjs', import.meta.url));

type RunnerResult =
  | { ok: true; metadata: Record<string, unknown>; outputs: Record<string, unknown> }
  | { ok: false; error: { name: string; message: string }; retryable: boolean };

export const nodeStep = defineExecutor<NodeStep>('node', async (ctx, spec) => {
  const modulePath = resolveInProject(ctx.projectRoot, spec.module, 'module');
  const exportName = spec.export ?? 'default';
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-node-'));
  try {
    const inputPath = path.join(dir, 'input.json');
    const resultPath = path.join(dir, 'result.json');
    await writeFile(inputPath, JSON.stringify(runnerInput(ctx, spec, modulePath, exportName)), { mode: 0o600 });
    const exit = await runChild(ctx, {
      file: process.execPath,
      args: [...loaderArgs(modulePath), RUNNER, inputPath, resultPath],
      cwd: ctx.projectRoot,
      env: stepEnv(ctx),
    });
    const result = await readFile(resultPath, 'utf8').then((text) => JSON.parse(text) as RunnerResult, () => undefined);
    if (!result) throw commandFailure(exit); // died before answering: out of memory, killed, process.exit in user code
    return reportOf(result, `${spec.module}#${exportName}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function runnerInput(ctx: StepContext, spec: NodeStep, modulePath: string, exportName: string): Record<string, unknown> {
  return {
    moduleUrl: pathToFileURL(modulePath).href,
    exportName,
    args: renderValue(spec.args ?? {}, ctx.values).value,
    partition: ctx.values.partition ?? null,
    params: ctx.values.params ?? {},
    runId: ctx.runId,
  };
}

function reportOf(result: RunnerResult, where: string): StepReport {
  if (!result.ok) throw new StepError(`\`${where}\` failed: ${result.error.name}: ${result.error.message}`, { retryable: result.retryable });
  return { metadata: result.metadata, outputs: result.outputs };
}

/** TypeScript modules load through tsx, resolved from Weir's own dependencies rather than the project's. */
function loaderArgs(modulePath: string): string[] {
  if (!/\.[mc]?ts$/.test(modulePath)) return [];
  let loader: string;
  try {
    loader = createRequire(import.meta.url).resolve('tsx');
  } catch {
    throw new StepError(`\`${path.basename(modulePath)}\` is TypeScript, which needs the \`tsx\` package beside Weir`, { retryable: false });
  }
  return ['--import', pathToFileURL(loader).href];
}
