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

/**
 * Keeps the errors a person needs, following the conventions written in spec.schema.json's `$comment`:
 * `if` errors only repeat that a variant failed; an `anyOf` of type alternatives (a name or an inline
 * definition) is reported by what went wrong inside the alternative the value has the type of, or,
 * when the value has none of the types, by one error naming them all. ajv reports property names twice.
 */
function reduce(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((e) => e.keyword !== 'if' && !(e.keyword !== 'propertyNames' && 'propertyName' in e));
  for (const any of kept.filter((e) => e.keyword === 'anyOf')) {
    const at = any.instancePath;
    const typeErrors = kept.filter((e) => e.keyword === 'type' && e.instancePath === at);
    const deeper = kept.filter((e) => e !== any && !typeErrors.includes(e) && (e.instancePath === at || e.instancePath.startsWith(`${at}/`)));
    if (deeper.length > 0) {
      kept = kept.filter((e) => e !== any && !typeErrors.includes(e));
    } else if (typeErrors.length > 0) {
      const types = [...new Set(typeErrors.flatMap((e) => String((e.params as { type: unknown }).type).split(',')))];
      const merged: ErrorObject = { ...typeErrors[0]!, params: { type: types } };
      kept = kept.filter((e) => e !== any && !typeErrors.includes(e));
      kept.push(merged);
    }
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
    case 'anyOf':
      return diagnostic('schema-value', { detail: 'does not match any of the allowed forms' }, at(path, true));
    case 'not': {
      const names = alternatives(e.schema);
      if (names.length) return diagnostic('schema-one-of-required', { fields: names }, at(path, true));
      return diagnostic('schema-value', { detail: 'has a combination of fields that is not allowed' }, at(path, true));
    }
    case 'false schema': {
      // `dependentSchemas/A/properties/B/false schema`: A and B exclude each other.
      const m = /dependentSchemas\/([^/]+)\/properties\/([^/]+)\/false schema$/.exec(e.schemaPath);
      if (m) return diagnostic('schema-exclusive', { field: m[2]!, other: m[1]! }, at(path, true));
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

/** `not: { properties: { A: false, B: false } }` means "at least one of A, B": their names. */
function alternatives(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).filter((k) => props[k] === false) : [];
}
