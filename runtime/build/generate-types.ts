// Generates the spec language's TypeScript types from schema/*.schema.json, the single source of truth for its shape.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const schemaDir = join(root, 'schema');

/** Where the generated types go, relative to the repository root. */
export const GENERATED_TYPES = 'runtime/spec/generated/types.ts';

const BANNER =
  '// Generated from schema/*.schema.json by runtime/build/generate-types.ts — do not edit; run `npm run gen:types`.';

// Names of the two documents inside the combined tree; they must not clash with a `$defs` entry.
const SPEC_FILE = 'spec_file';
const PROJECT_FILE = 'project_file';
const WRAPPER = 'SchemaDocuments';

/** The generated files, path (relative to the repository root) → content. Deterministic: same schemas, same text. */
export async function generateTypes(): Promise<Record<string, string>> {
  const [spec, project] = await Promise.all([readSchema('spec.schema.json'), readSchema('project.schema.json')]);
  const combined = combine(spec, project);
  const defs = combined.$defs as JsonObject;
  const view = schemaView(combined, defs) as JsonObject;
  const text = await compile(view as Parameters<typeof compile>[0], WRAPPER, {
    cwd: schemaDir,
    bannerComment: BANNER,
    additionalProperties: false,
    unknownAny: true,
    strictIndexSignatures: false,
    // Validation guarantees non-empty lists; plain arrays keep the types easy to build in code and tests.
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true, printWidth: 120, trailingComma: 'all' },
  });
  return { [GENERATED_TYPES]: withoutWrapper(text) };
}

async function readSchema(file: string): Promise<JsonObject> {
  return JSON.parse(await readFile(join(schemaDir, file), 'utf8')) as JsonObject;
}

/**
 * Both schemas as one tree, so each `$defs` entry becomes exactly one type: the two documents become
 * `$defs` entries themselves, and project.schema.json's references to spec.schema.json become local.
 */
function combine(spec: JsonObject, project: JsonObject): JsonObject {
  const { $defs: specDefs, $schema: _s, ...specDoc } = spec;
  const { $defs: projectDefs, $schema: _p, ...projectDoc } = project;
  const defs: JsonObject = { ...(specDefs as JsonObject) };
  for (const [name, def] of Object.entries(projectDefs as JsonObject)) {
    if (name in defs) throw new Error(`$defs/${name} is defined in both schemas: rename one, since each becomes one TypeScript type`);
    defs[name] = localRefs(def);
  }
  for (const name of [SPEC_FILE, PROJECT_FILE]) {
    if (name in defs) throw new Error(`$defs/${name} is reserved by the type generator`);
  }
  defs[SPEC_FILE] = specDoc;
  defs[PROJECT_FILE] = localRefs(projectDoc);
  return {
    title: WRAPPER,
    type: 'object',
    additionalProperties: false,
    required: ['spec', 'project'],
    properties: { spec: { $ref: `#/$defs/${SPEC_FILE}` }, project: { $ref: `#/$defs/${PROJECT_FILE}` } },
    $defs: defs,
  };
}

function localRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(localRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      if (value.startsWith('spec.schema.json#/')) out[key] = value.slice('spec.schema.json'.length);
      else if (value.startsWith('#/')) out[key] = value;
      else throw new Error(`unsupported $ref ${value}: refer to spec.schema.json#/… or #/…`);
    } else out[key] = localRefs(value);
  }
  return out;
}

// Keywords whose value is one schema, a map of schemas or a list of schemas; everything else is data.
const SCHEMA_KEYS = new Set(['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'contains']);
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment']);

/**
 * The schema as the type generator should read it. Validation and typing want different shapes:
 * - a `kind` union is validated by an `if`/`then` chain (so errors come from the matching variant only);
 *   as a type it is the union of the variants;
 * - `x-` extension keys are accepted by validation but are no part of the typed model;
 * - a `$ref` with its own description beside it would make the generator declare a numbered copy of the
 *   target (`Retry1`, `Tags1`, …): to a titled definition it keeps only the reference (the type carries
 *   the documentation); an untitled definition is inlined with the property's own description;
 * - a schema of annotations only accepts any value: `unknown`, not an object.
 */
function schemaView(node: Json, defs: JsonObject): Json {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  if (typeof node.$ref === 'string' && Object.keys(node).length > 1) {
    const { $ref, ...siblings } = node;
    const target = defs[defName($ref)];
    if (!isObject(target)) throw new Error(`unresolvable $ref ${$ref}`);
    return target.title !== undefined ? { $ref } : schemaView({ ...target, ...siblings }, defs);
  }
  const variants = kindVariants(node);
  if (variants) {
    const union: JsonObject = { oneOf: variants.map(($ref) => ({ $ref })) };
    if (node.title !== undefined) union.title = node.title;
    if (node.description !== undefined) union.description = node.description;
    return union;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_KEYS.has(key)) out[key] = schemaView(value, defs);
    else if (SCHEMA_LIST_KEYS.has(key) && Array.isArray(value)) out[key] = value.map((v) => schemaView(v, defs));
    else if (SCHEMA_MAP_KEYS.has(key) && isObject(value)) {
      const map: JsonObject = {};
      for (const [name, schema] of Object.entries(value)) {
        if (key === 'patternProperties' && name === '^x-') continue;
        map[name] = schemaView(schema, defs);
      }
      if (key !== 'patternProperties' || Object.keys(map).length > 0) out[key] = map;
    } else out[key] = value;
  }
  if (Object.keys(out).every((k) => ANNOTATIONS.has(k))) out.tsType = 'unknown';
  return out;
}

/** The variant `$ref`s of a `kind` union (`properties.kind.enum` plus an `allOf` of if-kind-then-ref), or undefined. */
function kindVariants(node: JsonObject): string[] | undefined {
  const branches = node.allOf;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const refs: string[] = [];
  const consts: string[] = [];
  for (const branch of branches) {
    const constant = path(branch, 'if', 'properties', 'kind', 'const');
    const ref = path(branch, 'then', '$ref');
    if (typeof constant !== 'string' || typeof ref !== 'string') return undefined;
    consts.push(constant);
    refs.push(ref);
  }
  const kinds = path(node, 'properties', 'kind', 'enum');
  if (!Array.isArray(kinds) || kinds.join() !== consts.join()) {
    throw new Error(`the kinds of ${String(node.title)} (${JSON.stringify(kinds)}) differ from its variants (${JSON.stringify(consts)})`);
  }
  return refs;
}

function path(node: Json, ...keys: string[]): Json | undefined {
  let at: Json | undefined = node;
  for (const key of keys) at = isObject(at) ? at[key] : undefined;
  return at;
}

function defName(ref: string): string {
  return ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : '';
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops the wrapper that only made both documents reachable from one root. */
function withoutWrapper(text: string): string {
  const wrapper = `export interface ${WRAPPER} {\n  spec: SpecFile;\n  project: ProjectFile;\n}\n`;
  if (!text.includes(wrapper)) throw new Error(`generated types lack the expected ${WRAPPER} wrapper; update withoutWrapper()`);
  return text.replace(wrapper, '');
}

async function writeTypes(): Promise<void> {
  for (const [file, content] of Object.entries(await generateTypes())) {
    const target = join(root, file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeTypes();
}
