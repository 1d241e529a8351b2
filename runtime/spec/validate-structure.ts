// The structural pass: JSON Schema (ajv, compiled once) over each document, with ajv's errors turned
// into positioned diagnostics in the user's words. Composite errors (oneOf/anyOf/if) are reduced to
// the errors of the variant the user evidently meant, so a typo inside a step says so.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic, type KeyPath } from './diagnostics.ts';
import type { SourceDocument } from './load.ts';
import { brokenKey } from './model.ts';
import { closest } from './suggest.ts';
import { DURATION_PATTERN } from './durations.ts';
// Precompiled by runtime/build/generate-validators.ts: compiling the schemas at start-up costs ~350 ms.
import * as validators from './generated/validators.js';

type Which = 'project' | 'spec';

const compiled: Record<Which, ValidateFunction> = { spec: validators.spec, project: validators.project };

const SECTIONS = new Set(['resources', 'pools', 'partitions', 'assets', 'pipelines', 'schedules', 'sensors']);

export interface StructureResult {
  diagnostics: Diagnostic[];
  /** `section\0name` of every declaration with a structural error. */
  invalid: Set<string>;
}

export function validateStructure(doc: SourceDocument, which: Which): StructureResult {
  const validate = compiled[which];
  const result: StructureResult = { diagnostics: [], invalid: new Set() };
  if (validate(doc.value)) return result;
  for (const e of reduce(validate.errors ?? [])) {
    const path = pointerToPath(e.instancePath);
    if (typeof path[0] === 'string' && SECTIONS.has(path[0]) && typeof path[1] === 'string') result.invalid.add(brokenKey(path[0] as never, path[1]));
    const d = toDiagnostic(doc, e, path);
    if (d) result.diagnostics.push(d);
  }
  return result;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

const COMPOSITE = new Set(['oneOf', 'anyOf']);

/**
 * Keeps the errors a person needs: for each oneOf/anyOf, only the branch that matches the value's shape
 * and fails least; `if` and wrapper errors go; ajv's double report of property names becomes one.
 */
function reduce(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((e) => e.keyword !== 'if' && !(e.keyword !== 'propertyNames' && 'propertyName' in e));
  const composites = kept.filter((e) => COMPOSITE.has(e.keyword)).sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const c of composites) {
    if (!kept.includes(c)) continue;
    const prefix = `${c.schemaPath}/`;
    const inside = kept.filter((e) => e.schemaPath.startsWith(prefix));
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    // A branch with a type error on the value itself describes another shape (e.g. the string form of a dep).
    const candidates = [...branches.values()].filter((errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === c.instancePath));
    const onlyMissing = candidates.length > 1 && candidates.every((errs) => errs.every((e) => e.keyword === 'required' && e.instancePath === c.instancePath));
    let keep: ErrorObject[] = [];
    if (inside.length > 0 && candidates.length > 0 && !onlyMissing) {
      keep = candidates.reduce((best, errs) => (errs.length < best.length ? errs : best));
    }
    kept = kept.filter((e) => !inside.includes(e) || keep.includes(e));
    if (keep.length > 0) kept = kept.filter((e) => e !== c);
  }
  return kept;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  object: 'a mapping (key: value pairs)',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing (null)',
};

function describeType(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  return types.map((x) => TYPE_WORDS[x] ?? x).join(' or ');
}

const code = (s: unknown) => `\`${String(s)}\``;

function toDiagnostic(doc: SourceDocument, e: ErrorObject, path: KeyPath): Diagnostic | undefined {
  const at = (p: KeyPath, key = false) => doc.place(p, { key });
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const known = Object.keys((parent.properties as Record<string, unknown>) ?? {});
      return diagnostic('schema-unknown-property', { property, suggestion: closest(property, known) }, at([...path, property], true));
    }
    case 'required':
      return diagnostic('schema-required', { property: String(params.missingProperty) }, at(path, true));
    case 'type':
      return diagnostic('schema-type', { expected: describeType(params.type) }, at(path));
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map(String);
      const value = String(e.data);
      if (path[path.length - 1] === 'kind') {
        return diagnostic('schema-kind', { kind: value, allowed, suggestion: closest(value, allowed) }, at(path));
      }
      return diagnostic('schema-enum', { allowed, suggestion: closest(value, allowed) }, at(path));
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      return diagnostic(
        'schema-value',
        { detail: `${code(name)} is not a valid name: use lowercase letters, digits and underscores, starting with a letter (dots separate namespaces, e.g. sales.orders)` },
        at([...path, name], true),
      );
    }
    case 'pattern':
      if (params.pattern === DURATION_PATTERN) return diagnostic('invalid-duration', { value: String(e.data) }, at(path));
      return diagnostic('schema-value', { detail: `${code(e.data)} does not have the expected form${parent.description ? ` (${String(parent.description).replace(/\.$/, '')})` : ''}` }, at(path));
    case 'oneOf':
    case 'anyOf':
      return compositeDiagnostic(e, parent, at(path, true));
    case 'not':
      return diagnostic('schema-value', { detail: notMessage(e.schema) }, at(path, true));
    case 'false schema': {
      // `dependentSchemas/A/properties/B/false schema`: A and B exclude each other.
      const m = /dependentSchemas\/([^/]+)\/properties\/([^/]+)\/false schema$/.exec(e.schemaPath);
      if (m) return diagnostic('schema-value', { detail: `give either ${code(m[2])} or ${code(m[1])}, not both` }, at(path, true));
      return diagnostic('schema-unknown-property', { property: String(path[path.length - 1]) }, at(path, true));
    }
    default:
      return diagnostic('schema-value', { detail: `${lastKey(path)}${e.message ?? 'is not valid'}` }, at(path));
  }
}

function lastKey(path: KeyPath): string {
  const last = path[path.length - 1];
  return last === undefined ? '' : typeof last === 'number' ? `item ${last + 1} ` : `${code(last)} `;
}

function requiredSets(branches: unknown): string[][] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const sets = branches.map((b) => (b && typeof b === 'object' && Array.isArray((b as { required?: unknown }).required) ? ((b as { required: string[] }).required) : undefined));
  return sets.every((s) => s !== undefined) ? (sets as string[][]) : undefined;
}

function compositeDiagnostic(e: ErrorObject, parent: Record<string, unknown>, place: ReturnType<SourceDocument['place']>): Diagnostic {
  const sets = requiredSets(parent[e.keyword]);
  if (sets) {
    const names = sets.map((s) => s.map(code).join(' and ')).join(', ');
    const passing = (e.params as { passingSchemas?: unknown }).passingSchemas;
    const detail = Array.isArray(passing) ? `give only one of ${names}, not several` : `give one of ${names}`;
    return diagnostic('schema-value', { detail }, place);
  }
  return diagnostic('schema-value', { detail: 'does not match any of the allowed forms' }, place);
}

/** `not: { properties: { A: false, B: false } }` means "at least one of A, B": name them. */
function notMessage(schema: unknown): string {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const names = props ? Object.keys(props).filter((k) => props[k] === false) : [];
  return names.length ? `missing a field: give ${names.length > 1 ? 'one of ' : ''}${names.map(code).join(' or ')}` : 'has a combination of fields that is not allowed';
}
