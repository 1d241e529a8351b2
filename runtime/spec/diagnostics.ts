// Diagnostics: what validation reports, with a place in a file and a stable code from the catalogue.
import { catalogue, type Code, type MessageArgs } from './codes.ts';

export type Severity = 'error' | 'warning';

/** A path of keys and indexes from a document's root to a value, e.g. ['assets', 'raw_events', 'deps', 0]. */
export type KeyPath = readonly (string | number)[];

/** A 1-based position range in one file. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic extends Span {
  code: Code;
  severity: Severity;
  message: string;
  /** Relative to the project root, with forward slashes. */
  file: string;
  /** The key path rendered as text, e.g. `assets.raw_events.deps[0]`. */
  path: string;
  hint?: string;
}

/** Where a diagnostic points: a file, a span in it and the key path of the offending value. */
export interface Place extends Span {
  file: string;
  path: KeyPath;
}

export function diagnostic<C extends Code>(code: C, args: MessageArgs<C>, place: Place, hint?: string): Diagnostic {
  const entry = catalogue[code];
  const message = (entry.message as (a: MessageArgs<C>) => string)(args);
  const d: Diagnostic = {
    code,
    severity: entry.severity,
    message,
    file: place.file,
    line: place.line,
    column: place.column,
    endLine: place.endLine,
    endColumn: place.endColumn,
    path: formatPath(place.path),
  };
  const h = hint ?? entry.hint;
  if (h) d.hint = h;
  return d;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Renders a key path the way a reader writes it: `assets["sales.orders"].deps[0].asset`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (identifier.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
