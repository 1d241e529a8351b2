// Loading and compiling the project a command works on; a project with errors stops the command (exit 1).
import { checkLoaded, readReferencedFiles, sourceLookup, type CheckedProject } from '../spec/check-project.ts';
import { compile } from '../spec/compile.ts';
import { hasErrors } from '../spec/diagnostics.ts';
import { loadProject } from '../spec/load.ts';
import type { Plan } from '../spec/plan.ts';
import { renderDiagnostics } from '../spec/render.ts';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

export class ProjectInvalidError extends Error {
  override name = 'ProjectInvalidError';
}

export interface CompiledProject {
  root: string;
  checked: CheckedProject;
  plan: Plan;
  referenced: Map<string, string>;
}

export async function compileProject(dir: string, env?: string): Promise<CompiledProject> {
  const root = projectDir(dir);
  const checked = checkLoaded(await loadProject(root));
  if (hasErrors(checked.diagnostics)) {
    throw new ProjectInvalidError(renderDiagnostics('human', checked.diagnostics, sourceLookup(checked.loaded)));
  }
  const environment = environmentName(checked.model, env);
  const referenced = await readReferencedFiles(checked);
  const plan = compile({ ctx: checked.ctx, environment, fileContents: referenced });
  return { root, checked, plan, referenced };
}

export function projectDir(dir: string): string {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`no such folder: ${dir}`);
  return root;
}

export function environmentName(model: CheckedProject['model'], requested: string | undefined): string | undefined {
  const env = requested ?? process.env.WEIR_ENV;
  if (env !== undefined && env !== '' && !(env in model.environments)) {
    const known = Object.keys(model.environments);
    throw new UsageError(`unknown environment \`${env}\`${known.length ? ` (weir.yaml declares ${known.map((k) => `\`${k}\``).join(', ')})` : ' (weir.yaml declares none)'}`);
  }
  return env || undefined;
}
