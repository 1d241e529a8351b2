// `weir plan [--base REF]`: compiles the working tree and the project as of another git revision, and prints the difference.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { checkLoaded, compileChecked, sourceLookup } from '../spec/check-project.ts';
import { hasErrors } from '../spec/diagnostics.ts';
import { loadProject } from '../spec/load.ts';
import type { Plan } from '../spec/plan.ts';
import { diffPlans, renderDiff } from '../spec/plan-diff.ts';
import { renderDiagnostics } from '../spec/render.ts';
import { UsageError } from './usage-error.ts';
import { environmentName, projectDir } from './project.ts';

const run = promisify(execFile);

// A git revision as a user types it; checked before it reaches git so it can never be read as an option.
const REVISION = /^[A-Za-z0-9][A-Za-z0-9_./~^@{}-]*$/;

export async function planCommand(opts: { project: string; base: string; format: 'text' | 'markdown' | 'json'; env?: string }): Promise<void> {
  const root = projectDir(opts.project);
  if (!REVISION.test(opts.base) || opts.base.includes('..')) throw new UsageError(`not a git revision: ${opts.base}`);
  const checked = checkLoaded(await loadProject(root));
  if (hasErrors(checked.diagnostics)) {
    process.stderr.write(renderDiagnostics('human', checked.diagnostics, sourceLookup(checked.loaded)));
    process.exitCode = 1;
    return;
  }
  const environment = environmentName(checked.model, opts.env);
  const head = await compileChecked(checked, environment);
  const base = await planAtRevision(root, opts.base, environment);
  const diff = diffPlans(base.plan, head);
  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify({ revision: opts.base, baseValid: base.valid, ...diff }, null, 2) + '\n');
  } else {
    if (!base.valid) process.stderr.write(`weir: the project at ${opts.base} has errors; comparing against the parts of it that compile\n`);
    process.stdout.write(renderDiff(diff, opts.format, opts.base));
  }
}

/** Compiles the project as it was at `revision` (undefined plan when it did not exist there). */
async function planAtRevision(root: string, revision: string, environment: string | undefined): Promise<{ plan: Plan | undefined; valid: boolean }> {
  const git = (args: string[], cwd: string) => run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' });
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], root)).stdout.toString().trim();
    await git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], root);
  } catch {
    throw new UsageError(`cannot resolve git revision \`${revision}\` in ${root} (is it a git checkout?)`);
  }
  const sub = relative(top, root).split(sep).join('/') || '.';
  const dir = await mkdtemp(join(tmpdir(), 'weir-plan-'));
  try {
    const archive = await git(['archive', '--format=tar', revision, '--', sub], top).catch(() => undefined);
    if (!archive) return { plan: undefined, valid: true };
    await new Promise<void>((resolve, reject) => {
      const tar = execFile('tar', ['-x', '-C', dir], (err) => (err ? reject(err) : resolve()));
      tar.stdin!.end(archive.stdout);
    });
    const baseRoot = join(dir, sub);
    if (!existsSync(join(baseRoot, 'weir.yaml'))) return { plan: undefined, valid: true };
    const checked = checkLoaded(await loadProject(baseRoot));
    const valid = !hasErrors(checked.diagnostics);
    const known = environment !== undefined && environment in checked.model.environments ? environment : undefined;
    return { plan: await compileChecked(checked, known), valid };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
