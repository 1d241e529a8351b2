// `${…}` templates: parsing with offsets, checking references against what exists where they are written,
// and rendering them at run time into strings, argv elements, SQL bind parameters or typed values.
import { checkReference } from './check-reference.ts';

/**
 * One `${…}`. `offset`/`length` span the whole placeholder in the template, `${` to `}`, so a caret
 * underlines what the user wrote; `text` is the reference inside it as written, without the
 * surrounding whitespace (`partition.keys['day']`).
 */
export type Reference = { root: string; path: string[]; offset: number; length: number; text: string };
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'ref'; ref: Reference };
export type TemplateProblem = { offset: number; length: number; message: string };

/** Everything a reference can be checked against; what is left out does not exist where the template is written. */
export interface Scope {
  /** Undefined: not partitioned. `dimensions` only for multi partitions; `time` when they (or one dimension) are time-based. */
  partition?: { time: boolean; dimensions?: string[] };
  params?: ReadonlySet<string>;
  /** Tasks (or assets) transitively upstream of `currentTask`; may be a lazy getter, read only when a `steps.` reference needs it. */
  upstreamTasks?: ReadonlySet<string>;
  knownTasks?: ReadonlySet<string>;
  currentTask?: string;
  sensor?: 'file' | 'http' | 'asset' | 'webhook';
  schedule?: boolean;
  /** Words for messages, e.g. "asset `raw_events`"; the first word says what kind of thing it is. */
  where?: string;
}

export type TemplateCheck = { offset: number; length: number; reference: string; message: string; syntax: boolean };

const EXAMPLE = 'expected a reference such as partition.key';

// ── parsing ────────────────────────────────────────────────────────────────

/** Splits a template into text and references; `$${` is a literal `${`. Collects every syntax problem. */
export function parseTemplate(template: string): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let text = '';
  let literalFrom = 0;
  let i = template.indexOf('$');
  while (i >= 0) {
    if (template.startsWith('$${', i)) {
      text += template.slice(literalFrom, i) + '${';
      literalFrom = i + 3;
      i = template.indexOf('$', literalFrom);
    } else if (template.charCodeAt(i + 1) === OPEN_BRACE) {
      text += template.slice(literalFrom, i);
      if (text) parts.push({ kind: 'text', text });
      text = '';
      const end = parsePlaceholder(template, i, parts, problems);
      if (end < 0) return { parts, problems };
      literalFrom = end;
      i = template.indexOf('$', literalFrom);
    } else {
      i = template.indexOf('$', i + 1);
    }
  }
  text += template.slice(literalFrom);
  if (text) parts.push({ kind: 'text', text });
  return { parts, problems };
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Parses the `${…}` at `start`; returns the offset after its `}`, or -1 when the rest of the template is unusable. */
function parsePlaceholder(t: string, start: number, parts: TemplatePart[], problems: TemplateProblem[]): number {
  let j = skipSpace(t, start + 2);
  const refStart = j;
  const fail = (at: number, message: string, length = 1): number => {
    problems.push({ offset: at, length, message });
    const close = t.indexOf('}', at);
    return close < 0 ? -1 : close + 1;
  };
  if (j >= t.length) return unclosed(t, start, problems);
  if (t.charCodeAt(j) === CLOSE_BRACE) return fail(start, `\`\${}\` is empty: ${EXAMPLE}`, j - start + 1);
  let end = identifier(t, j);
  if (end === j) return fail(j, `unexpected ${describe(t, j)}: ${EXAMPLE}`);
  const root = t.slice(j, end);
  const path: string[] = [];
  j = end;
  for (;;) {
    const c = t[j];
    if (c === '.') {
      end = identifier(t, j + 1);
      if (end === j + 1) return j + 1 >= t.length ? unclosed(t, start, problems) : fail(j + 1, `expected a name after \`.\`, found ${describe(t, j + 1)}`);
      path.push(t.slice(j + 1, end));
      j = end;
    } else if (c === '[') {
      const quote = t[j + 1];
      if (quote !== "'" && quote !== '"') {
        return j + 1 >= t.length ? unclosed(t, start, problems) : fail(j + 1, `expected a quoted key after \`[\`, such as ['sales.orders'], found ${describe(t, j + 1)}`);
      }
      const close = t.indexOf(quote, j + 2);
      if (close < 0) {
        problems.push({ offset: j + 1, length: t.length - j - 1, message: `the quoted key is never closed: expected \`${quote}\`` });
        return -1;
      }
      if (close === j + 2) return fail(j + 1, 'a quoted key must not be empty', 2);
      if (t[close + 1] !== ']') return close + 1 >= t.length ? unclosed(t, start, problems) : fail(close + 1, `expected \`]\` after the quoted key, found ${describe(t, close + 1)}`);
      path.push(t.slice(j + 2, close));
      j = close + 2;
    } else break;
  }
  const refEnd = j;
  j = skipSpace(t, j);
  if (j >= t.length) return unclosed(t, start, problems);
  if (t.charCodeAt(j) !== CLOSE_BRACE) {
    return fail(j, `unexpected ${describe(t, j)} after \`${t.slice(refStart, refEnd)}\`: expected \`}\`; expressions are plain references, without operators or function calls`);
  }
  parts.push({ kind: 'ref', ref: { root, path, offset: start, length: j + 1 - start, text: t.slice(refStart, refEnd) } });
  return j + 1;
}

function unclosed(t: string, start: number, problems: TemplateProblem[]): number {
  problems.push({ offset: start, length: t.length - start, message: '`${` is never closed: expected `}`' });
  return -1;
}

/** The end of the identifier `[A-Za-z_][A-Za-z0-9_-]*` starting at `i` (`i` itself when there is none). */
function identifier(t: string, i: number): number {
  let c = t.charCodeAt(i);
  if (!(isLetter(c) || c === 95)) return i;
  let j = i + 1;
  for (c = t.charCodeAt(j); isLetter(c) || isDigit(c) || c === 95 || c === 45; c = t.charCodeAt(++j));
  return j;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function skipSpace(t: string, i: number): number {
  for (let c = t.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = t.charCodeAt(++i));
  return i;
}

function describe(t: string, i: number): string {
  const c = t.codePointAt(i);
  if (c === undefined) return 'the end';
  if (c === 32) return 'a space';
  if (c === 9) return 'a tab';
  if (c === 10 || c === 13) return 'a line break';
  return `\`${String.fromCodePoint(c)}\``;
}

// ── checking ───────────────────────────────────────────────────────────────

/**
 * Every problem of a template where `scope` says what exists: syntax problems (`syntax: true`, the
 * message is the detail for `expression-syntax`) and references to things that do not exist here
 * (the message is the detail for `expression-unknown`, which prints the reference before it).
 */
export function checkTemplate(template: string, scope: Scope): TemplateCheck[] {
  const { parts, problems } = parseTemplate(template);
  const out: TemplateCheck[] = problems.map((p) => ({ ...p, reference: '', syntax: true }));
  for (const part of parts) {
    if (part.kind !== 'ref') continue;
    const { ref } = part;
    const message = checkReference(ref, scope);
    if (message !== undefined) out.push({ offset: ref.offset, length: ref.length, reference: ref.text, message, syntax: false });
  }
  return problems.length > 0 && out.length > problems.length ? out.sort((a, b) => a.offset - b.offset) : out;
}

// ── rendering ──────────────────────────────────────────────────────────────

/** What references resolve to in one run. `secrets` holds the values of `${secret.NAME}`. */
export interface Values {
  partition?: { key: string; start?: string; end?: string; keys?: Record<string, string> };
  params?: Record<string, unknown>;
  steps?: Record<string, { outputs: Record<string, unknown> }>;
  env?: Record<string, string | undefined>;
  secrets?: Record<string, string | undefined>;
  run?: { id: string; pipeline: string; started_at: string };
  sensor?: unknown;
  schedule?: unknown;
}

/** A template that cannot be rendered: it does not parse, or a reference has no value in this run. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    /** The reference as written (`params.full_refresh`), or the whole template for a syntax problem. */
    readonly reference: string,
    readonly reason: 'missing' | 'syntax',
    message: string,
  ) {
    super(message);
  }
}

/** Renders a template to text; values that are not strings are written as JSON (`null` as nothing). */
export function renderString(template: string, values: Values): { value: string; secrets: string[] } {
  const secrets: string[] = [];
  return { value: renderText(template, values, secrets), secrets };
}

/** Renders each element on its own, so a value with spaces, quotes or `;` stays inside its one argument. */
export function renderArgv(argv: string[], values: Values): { argv: string[]; secrets: string[] } {
  const secrets: string[] = [];
  return { argv: argv.map((arg) => renderText(arg, values, secrets)), secrets };
}

/**
 * Turns every `${…}` into a bind parameter `$1`, `$2`, … in order of appearance (a reference used
 * twice gets two parameters) and returns the values beside the text; nothing is ever interpolated.
 * The SQL itself is not parsed, so a `${…}` inside a string literal or a comment becomes a parameter
 * too: `'${partition.key}'` turns into the literal text `'$1'`, which PostgreSQL then rejects as an
 * unused parameter. Write placeholders unquoted: `where day = ${partition.key}`.
 */
export function renderSql(sql: string, values: Values): { text: string; params: unknown[]; secrets: string[] } {
  const secrets: string[] = [];
  const params: unknown[] = [];
  if (!sql.includes('$')) return { text: sql, params, secrets };
  let text = '';
  for (const part of parsed(sql).parts) {
    if (part.kind === 'text') text += part.text;
    else {
      params.push(resolve(part.ref, values, secrets));
      text += `$${params.length}`;
    }
  }
  return { text, params, secrets };
}

/**
 * Renders every string inside `v` (objects and arrays, deeply; keys are left alone). A string that is
 * exactly one `${…}` keeps the type of the value it refers to, so `${params.limit}` can be a number.
 */
export function renderValue(v: unknown, values: Values): { value: unknown; secrets: string[] } {
  const secrets: string[] = [];
  return { value: renderDeep(v, values, secrets), secrets };
}

function renderDeep(v: unknown, values: Values, secrets: string[]): unknown {
  if (typeof v === 'string') {
    if (!v.includes('${')) return v;
    const { parts } = parsed(v);
    const only = parts.length === 1 ? parts[0] : undefined;
    return only?.kind === 'ref' ? resolve(only.ref, values, secrets) : join(parts, values, secrets);
  }
  if (Array.isArray(v)) return v.map((item) => renderDeep(item, values, secrets));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, renderDeep(item, values, secrets)]));
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function renderText(template: string, values: Values, secrets: string[]): string {
  if (!template.includes('$')) return template;
  return join(parsed(template).parts, values, secrets);
}

function join(parts: readonly TemplatePart[], values: Values, secrets: string[]): string {
  let out = '';
  for (const part of parts) out += part.kind === 'text' ? part.text : toText(resolve(part.ref, values, secrets));
  return out;
}

function parsed(template: string): { parts: TemplatePart[] } {
  const result = parseTemplate(template);
  const problem = result.problems[0];
  if (problem) throw new ExpressionError(template, 'syntax', `invalid expression in \`${template}\`: ${problem.message}`);
  return result;
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** The value a reference names; only own properties are followed, so `${params.constructor}` finds nothing. */
function resolve(ref: Reference, values: Values, secrets: string[]): unknown {
  let v: unknown = rootValue(ref.root, values);
  for (const key of ref.path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) {
      v = undefined;
      break;
    }
    v = (v as Record<string, unknown>)[key];
  }
  if (v === undefined) throw new ExpressionError(ref.text, 'missing', `\`\${${ref.text}}\` has no value in this run`);
  if (ref.root === 'secret' && typeof v === 'string' && v !== '' && !secrets.includes(v)) secrets.push(v);
  return v;
}

function rootValue(root: string, values: Values): unknown {
  switch (root) {
    case 'partition':
      return values.partition;
    case 'params':
      return values.params;
    case 'steps':
      return values.steps;
    case 'env':
      return values.env;
    case 'secret':
      return values.secrets;
    case 'run':
      return values.run;
    case 'sensor':
      return values.sensor;
    case 'schedule':
      return values.schedule;
    default:
      return undefined;
  }
}

// ── redaction ──────────────────────────────────────────────────────────────

// Callers redact many lines with one list of secrets; the list may grow between calls, so the cache
// keeps a copy to notice that.
const patterns = new WeakMap<readonly string[], { secrets: string[]; pattern: RegExp | null }>();

/**
 * Replaces every occurrence of every secret with `***`, in one pass so a short secret cannot match
 * inside the mask of a longer one. Secrets are also matched as they appear inside JSON strings
 * (quotes and backslashes escaped), since events and API payloads are JSON. Empty secrets are ignored.
 */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length === 0) return text;
  let cached = patterns.get(secrets);
  if (!cached || !sameItems(cached.secrets, secrets)) {
    cached = { secrets: [...secrets], pattern: secretPattern(secrets) };
    patterns.set(secrets, cached);
  }
  return cached.pattern ? text.replace(cached.pattern, '***') : text;
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function secretPattern(secrets: readonly string[]): RegExp | null {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === '') continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  if (forms.size === 0) return null;
  // Longest first: at one position the alternation takes the first alternative that matches.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
