// Checks that the files steps and checks point at exist inside the project (paths are relative to the project root).
import { posix } from 'node:path';
import { diagnostic } from '../diagnostics.ts';
import { placeOf, type Decl } from '../model.ts';
import type { Asset } from '../generated/types.ts';
import { stepSites, type CheckContext, type StepSite } from './context.ts';

// An argument that names a script in the project, e.g. `scripts/fetch-events.mjs`.
const SCRIPT = /^(?!\/)[\w.@/-]+\.(?:mjs|cjs|js|ts|py|sh|sql|rb|r|jar)$/i;

export function checkFiles(ctx: CheckContext): void {
  for (const site of stepSites(ctx)) {
    for (const ref of referencedFiles(site)) {
      const place = () => placeOf(site.decl, {}, ...site.path, ...ref.path);
      const normal = normalizeProjectPath(ref.file);
      if (normal === undefined) ctx.report(diagnostic('path-outside-project', { path: ref.file }, place()));
      else if (!ctx.files.has(normal)) ctx.report(diagnostic(ref.required ? 'file-not-found' : 'script-not-found', { path: ref.file }, place()));
    }
  }
}

/** A project-relative path in normal form, or undefined when it is absolute or leaves the project. */
export function normalizeProjectPath(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return undefined;
  const normal = posix.normalize(path.replace(/\\/g, '/'));
  return normal === '..' || normal.startsWith('../') ? undefined : normal.replace(/^\.\//, '');
}

interface FileRef {
  file: string;
  /** Key path below the step. */
  path: (string | number)[];
  /** A declared file must exist; a script guessed from a command line only warns. */
  required: boolean;
}

/** The files a step or check declares, plus command arguments that look like project scripts. */
export function referencedFiles(site: StepSite): FileRef[] {
  const target = site.kind === 'check' ? site.check : site.step;
  const refs: FileRef[] = [];
  if ('file' in target && typeof target.file === 'string' && !target.file.includes('${')) refs.push({ file: target.file, path: ['file'], required: true });
  if (target.kind === 'node') refs.push({ file: target.module, path: ['module'], required: true });
  if ((target.kind === 'command') && 'run' in target && Array.isArray(target.run)) {
    target.run.forEach((arg, i) => {
      if (i > 0 && SCRIPT.test(arg) && arg.includes('/')) refs.push({ file: arg, path: ['run', i], required: false });
    });
  }
  return refs;
}

/** The project files an asset's step and checks reference, normalised. */
export function assetFiles(decl: Decl<Asset>): string[] {
  const sites: StepSite[] = (decl.value.checks ?? []).map((check, i) => ({ kind: 'check', decl, check, path: ['checks', i] }));
  if (decl.value.step) sites.push({ kind: 'asset', decl, step: decl.value.step, path: ['step'] });
  return sites.flatMap((site) => referencedFiles(site).map((r) => normalizeProjectPath(r.file))).filter((p): p is string => p !== undefined);
}
