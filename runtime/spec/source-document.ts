// One spec file, parsed: its text, its plain value and lazy source positions for any key path.
import jsYaml from 'js-yaml';
import { isMap, type Node } from 'yaml';
import { composeYaml } from './compose-yaml.ts';
import { decodeSource } from './decode-source.ts';
import { diagnostic, type Diagnostic, type KeyPath, type Place, type Span } from './diagnostics.ts';
import { SourceLocator, type LocateOptions } from './source-locator.ts';
import { buildValue, type ValueIssue } from './yaml-value.ts';

export interface SourceDocument {
  /** Project-relative, forward slashes. */
  file: string;
  /** Decoded text, BOM stripped. */
  text: string;
  /** The plain value: always a mapping (a plain object) or undefined when the file is unusable. */
  value: unknown;
  /**
   * Span of the value at `path` (of its key instead when opts.key), falling back to the nearest ancestor
   * that exists. With opts.offset, and a scalar whose source maps 1:1 onto its string value (plain,
   * quoted without escapes, literal block), the span of those characters inside the scalar.
   */
  locate(path: KeyPath, opts?: LocateOptions): Span;
  /** `locate` with the file and the path: what a diagnostic needs. */
  place(path: KeyPath, opts?: LocateOptions): Place;
}

export interface LoadOptions {
  /** Default 4 MiB. */
  maxFileBytes?: number;
  /** Most values that aliases (and `<<` merges) may expand to in one file; default 10,000. */
  maxAliasCount?: number;
  /** Default 128. */
  maxDepth?: number;
}

export const DEFAULT_LIMITS = { maxFileBytes: 4 * 1024 * 1024, maxAliasCount: 10_000, maxDepth: 128 } as const;

export interface ParsedSource {
  document: SourceDocument;
  diagnostics: Diagnostic[];
}

/** Parses one file on its own (watch mode re-parses a changed file alone). Never throws on any input. */
export function parseSource(file: string, bytes: Uint8Array | string, options: LoadOptions = {}): ParsedSource {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes;
  const maxAliasCount = options.maxAliasCount ?? DEFAULT_LIMITS.maxAliasCount;
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const decoded = decodeSource(bytes, maxFileBytes);
  switch (decoded.kind) {
    case 'too-large': {
      const doc = sourceDocument(file, '', undefined, new SourceLocator('', null, new Map()));
      return { document: doc, diagnostics: [diagnostic('file-too-large', { size: decoded.size, limit: maxFileBytes }, doc.place([]))] };
    }
    case 'invalid-utf8': {
      const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
      const doc = sourceDocument(file, text, undefined, new SourceLocator(text, null, new Map()));
      const { line, column } = decoded;
      const place: Place = { file, path: [], line, column, endLine: line, endColumn: column + 1 };
      return { document: doc, diagnostics: [diagnostic('invalid-utf8', {}, place)] };
    }
    case 'text':
      return parseText(file, decoded.text, { maxDepth, maxAliasCount });
    default: {
      const _exhaustive: never = decoded;
      return _exhaustive;
    }
  }
}

function parseText(file: string, text: string, limits: { maxDepth: number; maxAliasCount: number }): ParsedSource {
  return fastParse(file, text, limits) ?? fullParse(file, text, limits);
}

// Anchors, aliases, tags and merge keys, where a value may start: such files take the full path, whose
// guards (alias cap, tag check) need the node tree. Quotes after `*` are cron fields, not aliases.
const NEEDS_FULL_PARSE = /(?:^|[\s[{,])(?:[&*][^\s,[\]{}"']|![^\s=])|<</m;

/**
 * The fast path (~10× the `yaml` package's speed): js-yaml builds the value of an ordinary file, and
 * positions are computed from a `yaml` node tree only when a diagnostic first asks for one. Any file
 * js-yaml rejects, or whose shape could trip a guard, takes the full path, which reports the problem.
 * Both parsers use the YAML 1.2 core schema, so values are identical (tested on the fixtures).
 */
function fastParse(file: string, text: string, limits: { maxDepth: number; maxAliasCount: number }): ParsedSource | undefined {
  if (NEEDS_FULL_PARSE.test(text) || !shallow(text, limits.maxDepth)) return undefined;
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
  } catch {
    return undefined;
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  let locator: SourceLocator | undefined;
  const lazy = (): SourceLocator => {
    if (!locator) {
      const composed = composeYaml(text, limits.maxDepth);
      locator = new SourceLocator(text, composed.kind === 'document' ? (composed.doc.contents as Node | null) : null, new Map());
    }
    return locator;
  };
  return {
    document: {
      file,
      text,
      value,
      locate: (path, opts) => lazy().locate(path, opts),
      place: (path, opts) => ({ file, path, ...lazy().locate(path, opts) }),
    },
    diagnostics: [],
  };
}

/** A cheap, conservative bound on nesting (js-yaml recurses): indentation and open brackets, quotes ignored. */
function shallow(text: string, maxDepth: number): boolean {
  let brackets = 0;
  let indent = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
    } else if (lineStart && c === 32) {
      if (++indent > maxDepth) return false;
    } else {
      lineStart = false;
      if (c === 91 || c === 123) {
        if (++brackets > maxDepth / 4) return false;
      } else if (c === 93 || c === 125) brackets = Math.max(0, brackets - 1);
    }
  }
  return true;
}

function fullParse(file: string, text: string, limits: { maxDepth: number; maxAliasCount: number }): ParsedSource {
  const composed = composeYaml(text, limits.maxDepth);
  const bare = new SourceLocator(text, null, new Map());
  const at = (start: number, end: number, path: KeyPath = []): Place => ({ file, path, ...bare.spanOf(start, end) });
  switch (composed.kind) {
    case 'empty':
      // A file with nothing but comments declares nothing; that is not an error.
      return { document: sourceDocument(file, text, {}, bare), diagnostics: [] };
    case 'too-deep':
      return {
        document: sourceDocument(file, text, undefined, bare),
        diagnostics: [diagnostic('nesting-too-deep', { limit: limits.maxDepth }, at(composed.offset, composed.offset + 1))],
      };
    case 'document':
      break;
    default: {
      const _exhaustive: never = composed;
      return _exhaustive;
    }
  }
  const diagnostics: Diagnostic[] = [];
  const root = composed.doc.contents as Node | null;
  if (composed.secondDocumentAt !== undefined) {
    diagnostics.push(diagnostic('multiple-documents', {}, at(composed.secondDocumentAt, composed.secondDocumentAt + 3)));
  }
  if (composed.error) {
    diagnostics.push(diagnostic('yaml-syntax', { detail: composed.error.detail }, at(composed.error.start, composed.error.end)));
    return { document: sourceDocument(file, text, undefined, new SourceLocator(text, root, new Map())), diagnostics };
  }
  const built = buildValue(root, text, limits);
  const locator = new SourceLocator(text, root, built.aliasTargets);
  let usable = built.value !== undefined && !built.issues.some((i) => i.kind === 'yaml-syntax');
  for (const issue of built.issues) diagnostics.push(issueDiagnostic(issue, limits, { file, path: issue.path, ...locator.spanOf(issue.start, issue.end) }));
  let value = built.value;
  if (root === null) value = {};
  else if (usable && !isMap(root)) {
    diagnostics.push(diagnostic('not-a-mapping', {}, { file, path: [], ...locator.locate([]) }));
    usable = false;
  }
  return { document: sourceDocument(file, text, usable ? value : undefined, locator), diagnostics };
}

function issueDiagnostic(issue: ValueIssue, limits: { maxDepth: number; maxAliasCount: number }, place: Place): Diagnostic {
  switch (issue.kind) {
    case 'duplicate-key':
      return diagnostic('duplicate-key', { key: issue.key }, place);
    case 'unknown-tag':
      return diagnostic('unknown-tag', { tag: issue.tag }, place);
    case 'alias-limit':
      return diagnostic('alias-limit', { limit: limits.maxAliasCount }, place);
    case 'nesting-too-deep':
      return diagnostic('nesting-too-deep', { limit: limits.maxDepth }, place);
    case 'yaml-syntax':
      return diagnostic('yaml-syntax', { detail: issue.detail }, place);
    default: {
      const _exhaustive: never = issue;
      return _exhaustive;
    }
  }
}

function sourceDocument(file: string, text: string, value: unknown, locator: SourceLocator): SourceDocument {
  return {
    file,
    text,
    value,
    locate: (path, opts) => locator.locate(path, opts),
    place: (path, opts) => ({ file, path, ...locator.locate(path, opts) }),
  };
}
