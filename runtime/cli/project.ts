// Loading and compiling the project a command works on; a project with errors stops the command (exit 1).
import { checkLoaded, readReferencedFiles, sourceLookup, type CheckedProject } from '../spec/check-project.ts';
import { compile } from '../spec/compile.ts';
import { hasErrors } from '../spec/diagnostics.ts';
import { loadProject } from '../spec/load.ts';
import type { Plan } from '../spec/plan.ts';
import { renderDiagnostics } from '../spec/render.ts';
import { environmentName, projectDir } from './validate.ts';

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
