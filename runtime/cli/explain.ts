// `weir explain <name>`: the effective configuration of one thing, after defaults and the environment overlay.
import { stringify } from 'yaml';
import { checkLoaded, compileChecked, sourceLookup } from '../spec/check-project.ts';
import { hasErrors } from '../spec/diagnostics.ts';
import { loadProject } from '../spec/load.ts';
import type { Plan } from '../spec/plan.ts';
import { renderDiagnostics } from '../spec/render.ts';
import { closest } from '../spec/suggest.ts';
import { UsageError } from './usage-error.ts';
import { environmentName, projectDir } from './project.ts';

const SECTIONS = ['assets', 'pipelines', 'schedules', 'sensors', 'resources', 'pools', 'partitions'] as const;

/** Finds `name` in the plan: a top-level thing, or `pipeline.task` for a task of a task pipeline. */
export function lookup(plan: Plan, name: string): { what: string; value: unknown } | undefined {
  for (const section of SECTIONS) {
    const entries = plan[section] as Record<string, unknown>;
    if (Object.hasOwn(entries, name)) return { what: section.replace(/s$/, ''), value: entries[name] };
  }
  const dot = name.lastIndexOf('.');
  const pipeline = dot > 0 ? plan.pipelines[name.slice(0, dot)] : undefined;
  const node = pipeline?.nodes[name.slice(dot + 1)];
  if (pipeline?.kind === 'tasks' && node) return { what: 'task', value: node };
  return undefined;
}

export async function explainCommand(name: string, opts: { project: string; env?: string; format: 'yaml' | 'json' }): Promise<void> {
  const checked = checkLoaded(await loadProject(projectDir(opts.project)));
  const environment = environmentName(checked.model, opts.env);
  if (hasErrors(checked.diagnostics)) {
    process.stderr.write(renderDiagnostics('human', checked.diagnostics, sourceLookup(checked.loaded)));
    process.exitCode = 1;
    return;
  }
  const plan = await compileChecked(checked, environment);
  const found = lookup(plan, name);
  if (!found) {
    const names = SECTIONS.flatMap((s) => Object.keys(plan[s]));
    const hint = closest(name, names);
    throw new UsageError(`nothing named \`${name}\` in project ${plan.project}${hint ? `; did you mean \`${hint}\`?` : ''}`);
  }
  const header = { [found.what]: name, environment: environment ?? null };
  if (opts.format === 'json') process.stdout.write(JSON.stringify({ ...header, effective: found.value }, null, 2) + '\n');
  else process.stdout.write(`# ${found.what} ${name}${environment ? ` (environment ${environment})` : ''}\n${stringify(found.value, { lineWidth: 0 })}`);
}
