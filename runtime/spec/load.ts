// Loads a project: weir.yaml and every spec file under its `specs` folders or globs, parsed with positions.
import { open } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';
import picomatch from 'picomatch';
import { diagnostic, type Diagnostic, type Place } from './diagnostics.ts';
import { compareStrings, describeFsError, listProjectFiles } from './project-files.ts';
import { DEFAULT_LIMITS, parseSource, type LoadOptions, type SourceDocument } from './source-document.ts';

// The per-file half lives in source-document.ts; these are re-exported because callers know the loader by this name.
export { parseSource, type LoadOptions, type SourceDocument };

export interface LoadedProject {
  /** Absolute. */
  root: string;
  /** weir.yaml; undefined when missing (reported as `project-file-missing`). */
  config: SourceDocument | undefined;
  /** Spec files, sorted by file. */
  specs: SourceDocument[];
  /** Every project file (relative, sorted) outside node_modules/.git/.weir/dist, to check references without I/O. */
  files: string[];
  diagnostics: Diagnostic[];
}

const PROJECT_FILE = 'weir.yaml';
const READ_CONCURRENCY = 32;
const isSpecFile = (file: string) => file.endsWith('.yaml') || file.endsWith('.yml');
// Hidden files and folders (.github/workflows, …) hold other tools' YAML, never specs; globs skip them too.
const isHidden = (file: string) => file.startsWith('.') || file.includes('/.');

export async function loadProject(root: string, options: LoadOptions = {}): Promise<LoadedProject> {
  const abs = resolve(root);
  const maxBytes = options.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes;
  const diagnostics: Diagnostic[] = [];
  const [listing, configRead] = await Promise.all([listProjectFiles(abs), readSource(abs, PROJECT_FILE, maxBytes)]);
  for (const u of listing.unreadable) diagnostics.push(diagnostic('file-unreadable', { reason: u.reason }, startOf(u.path)));

  let config: SourceDocument | undefined;
  if (configRead.kind === 'missing') diagnostics.push(diagnostic('project-file-missing', { dir: root }, startOf(PROJECT_FILE)));
  else config = toDocument(PROJECT_FILE, configRead, options, diagnostics);

  const wanted = specFiles(config, listing.files, listing.folders, diagnostics);
  const reads = await mapLimit(wanted, READ_CONCURRENCY, (file) => readSource(abs, file, maxBytes));
  const specs = wanted.map((file, i) => toDocument(file, reads[i]!, options, diagnostics));
  return { root: abs, config, specs, files: listing.files, diagnostics };
}

/** The spec files the `specs` entries of weir.yaml name (default: the whole project), sorted. */
function specFiles(config: SourceDocument | undefined, files: readonly string[], folders: ReadonlySet<string>, diagnostics: Diagnostic[]): string[] {
  const listed = (config?.value as { specs?: unknown } | undefined)?.specs;
  const entries = Array.isArray(listed) && listed.every((s) => typeof s === 'string') ? (listed as string[]) : ['.'];
  const candidates = files.filter((f) => f !== PROJECT_FILE && isSpecFile(f) && !isHidden(f));
  const chosen = new Set<string>();
  entries.forEach((entry, i) => {
    const place = config && Array.isArray(listed) ? config.place(['specs', i]) : startOf(PROJECT_FILE);
    const spec = posix.normalize(entry.replaceAll('\\', '/')).replace(/\/+$/, '') || '.';
    if (isAbsolute(entry) || spec === '..' || spec.startsWith('../')) {
      diagnostics.push(diagnostic('path-outside-project', { path: entry }, place));
      return;
    }
    const matches = matchSpec(spec, candidates, files, folders);
    if (matches === undefined) diagnostics.push(diagnostic('spec-folder-missing', { folder: entry }, place));
    else for (const m of matches) chosen.add(m);
  });
  return [...chosen].sort(compareStrings);
}

/** Files an entry selects, or undefined when the entry names nothing that exists. */
function matchSpec(spec: string, candidates: readonly string[], files: readonly string[], folders: ReadonlySet<string>): string[] | undefined {
  if (picomatch.scan(spec).isGlob) {
    const isMatch = picomatch(spec);
    const matches = candidates.filter((f) => isMatch(f));
    return matches.length > 0 ? matches : undefined;
  }
  if (spec === '.') return [...candidates];
  if (folders.has(spec)) {
    const prefix = `${spec}/`;
    return candidates.filter((f) => f.startsWith(prefix));
  }
  // A single file may be listed too.
  if (files.includes(spec)) return isSpecFile(spec) ? [spec] : [];
  return undefined;
}

type Read = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'too-large'; size: number } | { kind: 'missing' } | { kind: 'error'; reason: string };

/** Reads a file, checking its size before reading so a huge file costs nothing. */
async function readSource(root: string, file: string, maxBytes: number): Promise<Read> {
  let handle;
  try {
    handle = await open(join(root, file), 'r');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', reason: describeFsError(e) };
  }
  try {
    const s = await handle.stat();
    // Only regular files: a FIFO or device would block or never end.
    if (s.isDirectory()) return { kind: 'error', reason: 'it is a folder' };
    if (!s.isFile()) return { kind: 'error', reason: 'it is not a regular file' };
    if (s.size > maxBytes) return { kind: 'too-large', size: s.size };
    return { kind: 'bytes', bytes: await handle.readFile() };
  } catch (e) {
    return { kind: 'error', reason: describeFsError(e) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function toDocument(file: string, read: Read, options: LoadOptions, diagnostics: Diagnostic[]): SourceDocument {
  switch (read.kind) {
    case 'bytes': {
      const parsed = parseSource(file, read.bytes, options);
      diagnostics.push(...parsed.diagnostics);
      return parsed.document;
    }
    case 'too-large': {
      const limit = options.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes;
      diagnostics.push(diagnostic('file-too-large', { size: read.size, limit }, startOf(file)));
      return unusable(file);
    }
    case 'missing':
      diagnostics.push(diagnostic('file-unreadable', { reason: describeFsError({ code: 'ENOENT' }) }, startOf(file)));
      return unusable(file);
    case 'error':
      diagnostics.push(diagnostic('file-unreadable', { reason: read.reason }, startOf(file)));
      return unusable(file);
    default: {
      const _exhaustive: never = read;
      return _exhaustive;
    }
  }
}

/** A document for a file that could not be read: no text, no value, every position at 1:1. */
function unusable(file: string): SourceDocument {
  return { file, text: '', value: undefined, locate: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }), place: (path) => ({ ...startOf(file), path }) };
}

function startOf(file: string): Place {
  return { file, path: [], line: 1, column: 1, endLine: 1, endColumn: 1 };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
