// `command` steps: a process run from an argv list (no shell), or an explicit `shell:` line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StepReport } from '../engine/run-input.ts';
import type { CommandStep } from '../spec/generated/types.ts';
import { renderArgv, renderString } from '../spec/expressions.ts';
import { runChild } from './child-process.ts';
import type { ChildExit } from './child-process.ts';
import { defineExecutor } from './guard-step.ts';
import { readOutputFile } from './output-file.ts';
import { resolveInProject } from './project-path.ts';
import { renderShell } from './shell-template.ts';
import { StepError } from './step-context.ts';
import type { StepContext } from './step-context.ts';

/** What runs a process: a `command` step or a `command` check. */
export type CommandSpec = Pick<CommandStep, 'run' | 'shell' | 'env' | 'cwd'>;

export interface CommandResult extends ChildExit {
  report: StepReport;
}

export const commandStep = defineExecutor<CommandStep>('command', async (ctx, spec) => {
  const result = await runCommand(ctx, spec);
  if (result.exitCode !== 0) throw commandFailure(result);
  return result.report;
});

/** Runs the process to its end and reads `$WEIR_OUTPUT`, whatever the exit status. */
export async function runCommand(ctx: StepContext, spec: CommandSpec): Promise<CommandResult> {
  const program = programOf(ctx, spec);
  const env = { ...renderEnv(ctx, spec.env), ...program.env };
  const cwd = spec.cwd === undefined ? ctx.projectRoot : resolveInProject(ctx.projectRoot, renderString(spec.cwd, ctx.values).value, 'cwd');
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-step-'));
  const outputPath = path.join(dir, 'output.jsonl');
  try {
    const exit = await runChild(ctx, {
      file: program.file,
      args: program.args,
      cwd,
      env: { ...env, ...stepEnv(ctx), WEIR_OUTPUT: outputPath },
    });
    return { ...exit, report: await readOutputFile(outputPath, ctx.outputLimitBytes) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The step's failure: exit status (or signal) and the last lines of stderr. Redaction happens in the guard. */
export function commandFailure(result: ChildExit): StepError {
  const how = result.exitCode !== null ? `exited with code ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
  const tail = result.stderrTail.length > 0 ? `\nlast lines of stderr:\n${result.stderrTail.join('\n')}` : '';
  const opts: { retryable: boolean; exitCode?: number } = { retryable: true };
  if (result.exitCode !== null) opts.exitCode = result.exitCode;
  return new StepError(`the command ${how}${tail}`, opts);
}

/** Variables that tell the process which run and step it belongs to. */
export function stepEnv(ctx: StepContext): Record<string, string> {
  const env: Record<string, string> = { WEIR_RUN_ID: ctx.runId, WEIR_STEP: ctx.step };
  if (ctx.values.partition) env.WEIR_PARTITION_KEY = ctx.values.partition.key;
  return env;
}

function programOf(ctx: StepContext, spec: CommandSpec): { file: string; args: string[]; env: Record<string, string> } {
  if (spec.run !== undefined && spec.shell === undefined) {
    const [file, ...args] = renderArgv(spec.run, ctx.values).argv;
    if (file === undefined || file === '') throw new StepError('`run` names no program', { retryable: false });
    return { file, args, env: {} };
  }
  if (spec.shell !== undefined && spec.run === undefined) {
    const { script, env } = renderShell(spec.shell, ctx.values);
    return { file: '/bin/sh', args: ['-c', script], env };
  }
  throw new StepError('a command needs exactly one of `run` and `shell`', { retryable: false });
}

function renderEnv(ctx: StepContext, env: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(env ?? {})) out[name] = renderString(template, ctx.values).value;
  return out;
}
