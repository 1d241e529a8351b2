// Paths named by a spec (SQL files, scripts, modules, working directories) resolve inside the project only.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { StepError } from './step-context.ts';

/**
 * The absolute path of `relative` under `projectRoot`. Refuses `..` escapes, absolute paths and
 * symlinks that lead outside, so a spec cannot make a worker read or run arbitrary files.
 */
export function resolveInProject(projectRoot: string, relative: string, what: string): string {
  const root = realOrSelf(path.resolve(projectRoot));
  const target = path.resolve(root, relative);
  if (!isInside(root, target) || !isInside(root, realOrSelf(target))) {
    throw new StepError(`${what} \`${relative}\` is outside the project`, { retryable: false });
  }
  return target;
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p; // not there (yet): the lexical check above is what applies
  }
}
