// The catalogue of spec diagnostics: every code Weir reports, its severity and its exact message.
// Codes are stable: rename one only with a migration note in the README's catalogue section.
import type { Severity } from './diagnostics.ts';

interface Entry<A> {
  severity: Severity;
  /** One line for the catalogue: when this is reported. */
  summary: string;
  message: (args: A) => string;
  hint?: string;
}

const entry = <A = Record<string, never>>(e: Entry<A>): Entry<A> => e;

const list = (items: readonly string[]): string => items.map((i) => `\`${i}\``).join(', ');
const suggestion = (s: string | undefined): string => (s ? `; did you mean \`${s}\`?` : '');

export const catalogue = {
  // ── reading files ─────────────────────────────────────────────────────────
  'project-file-missing': entry<{ dir: string }>({
    severity: 'error',
    summary: 'The project folder has no weir.yaml.',
    message: ({ dir }) => `no weir.yaml in ${dir}`,
    hint: 'Create weir.yaml with at least `project: <name>` and `specs: [<folder>]`.',
  }),
  'file-unreadable': entry<{ reason: string }>({
    severity: 'error',
    summary: 'A spec file or folder could not be read.',
    message: ({ reason }) => `cannot read this file: ${reason}`,
  }),
  'spec-folder-missing': entry<{ folder: string }>({
    severity: 'error',
    summary: 'A folder or glob listed in `specs` matches nothing.',
    message: ({ folder }) => `spec folder \`${folder}\` does not exist or matches no files`,
  }),
  'file-too-large': entry<{ size: number; limit: number }>({
    severity: 'error',
    summary: 'A file is larger than the loader accepts.',
    message: ({ size, limit }) => `file is ${size} bytes; spec files may be at most ${limit} bytes`,
    hint: 'Split large specs into several files.',
  }),
  'invalid-utf8': entry({
    severity: 'error',
    summary: 'A file is not valid UTF-8.',
    message: () => 'file is not valid UTF-8 text',
    hint: 'Save the file as UTF-8.',
  }),
  'yaml-syntax': entry<{ detail: string }>({
    severity: 'error',
    summary: 'The YAML cannot be parsed.',
    message: ({ detail }) => `YAML syntax error: ${detail}`,
  }),
  'duplicate-key': entry<{ key: string }>({
    severity: 'error',
    summary: 'A mapping has the same key twice.',
    message: ({ key }) => `duplicate key \`${key}\`: each key may appear only once in a mapping`,
  }),
  'unknown-tag': entry<{ tag: string }>({
    severity: 'error',
    summary: 'A YAML tag other than the core ones is used.',
    message: ({ tag }) => `unsupported YAML tag \`${tag}\`: specs may use only plain YAML values`,
  }),
  'alias-limit': entry<{ limit: number }>({
    severity: 'error',
    summary: 'Aliases would expand into too many values (an alias bomb).',
    message: ({ limit }) => `aliases expand to more than ${limit} values`,
    hint: 'Write the repeated values out, or use `defaults:` for shared settings.',
  }),
  'nesting-too-deep': entry<{ limit: number }>({
    severity: 'error',
    summary: 'Values are nested deeper than the loader accepts.',
    message: ({ limit }) => `values are nested more than ${limit} levels deep`,
  }),
  'multiple-documents': entry({
    severity: 'error',
    summary: 'A spec file holds more than one YAML document.',
    message: () => 'a spec file may hold only one YAML document (found `---` starting another)',
  }),
  'not-a-mapping': entry({
    severity: 'error',
    summary: 'The top of a spec file is not a mapping.',
    message: () => 'a spec file must be a mapping of sections (assets:, pipelines:, …)',
  }),

  // ── structure (JSON Schema) ───────────────────────────────────────────────
  'schema-type': entry<{ expected: string }>({
    severity: 'error',
    summary: 'A value has the wrong type.',
    message: ({ expected }) => `expected ${expected}`,
  }),
  'schema-required': entry<{ property: string }>({
    severity: 'error',
    summary: 'A required field is missing.',
    message: ({ property }) => `missing required field \`${property}\``,
  }),
  'schema-exclusive': entry<{ field: string; other: string }>({
    severity: 'error',
    summary: 'Two fields that exclude each other are both given.',
    message: (a) => `\`${a.field}\` and \`${a.other}\` cannot be used together: give one`,
  }),
  'schema-one-of-required': entry<{ fields: readonly string[] }>({
    severity: 'error',
    summary: 'None of several alternative fields is given.',
    message: (a) => `needs one of ${list(a.fields)}`,
  }),
  'schema-unknown-property': entry<{ property: string; suggestion?: string }>({
    severity: 'error',
    summary: 'A field is not part of the spec language.',
    message: (a) => `unknown field \`${a.property}\`${suggestion(a.suggestion)}`,
  }),
  'schema-enum': entry<{ allowed: readonly string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A value is not one of the allowed choices.',
    message: (a) => `must be one of ${list(a.allowed)}${suggestion(a.suggestion)}`,
  }),
  'schema-kind': entry<{ kind: string; allowed: readonly string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A `kind` names no known variant.',
    message: (a) => `unknown kind \`${a.kind}\`: expected one of ${list(a.allowed)}${suggestion(a.suggestion)}`,
  }),
  'schema-value': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A value breaks a rule of the schema (pattern, range, length, …).',
    message: ({ detail }) => detail,
  }),

  // ── names and references ──────────────────────────────────────────────────
  'duplicate-name': entry<{ section: string; name: string; other: string }>({
    severity: 'error',
    summary: 'Two things of the project share one name.',
    message: (a) => `${a.section} \`${a.name}\` is already defined at ${a.other}`,
  }),
  'unknown-reference': entry<{ what: string; name: string; suggestion?: string }>({
    severity: 'error',
    summary: 'A reference names an asset, partition, resource, pool, pipeline, task or check that does not exist.',
    message: (a) => `unknown ${a.what} \`${a.name}\`${suggestion(a.suggestion)}`,
  }),
  'dependency-cycle': entry<{ cycle: readonly string[] }>({
    severity: 'error',
    summary: 'Dependencies form a cycle.',
    message: ({ cycle }) => `dependency cycle: ${cycle.join(' → ')}`,
  }),
  'resource-kind-mismatch': entry<{ user: string; resource: string; actual: string; expected: string }>({
    severity: 'error',
    summary: 'A step or check uses a resource of the wrong kind.',
    message: (a) => `${a.user} needs a \`${a.expected}\` resource, but resource \`${a.resource}\` is of kind \`${a.actual}\``,
  }),
  'file-not-found': entry<{ path: string }>({
    severity: 'error',
    summary: 'A referenced SQL file, module or script does not exist.',
    message: ({ path }) => `file \`${path}\` does not exist`,
  }),
  'path-outside-project': entry<{ path: string }>({
    severity: 'error',
    summary: 'A referenced file lies outside the project folder.',
    message: ({ path }) => `\`${path}\` points outside the project folder`,
  }),

  // ── values ────────────────────────────────────────────────────────────────
  'invalid-duration': entry<{ value: string }>({
    severity: 'error',
    summary: 'A duration cannot be read.',
    message: ({ value }) => `invalid duration \`${value}\`: use a number with a unit, e.g. 30s, 15m, 2h, 7d or 1h30m`,
  }),
  'invalid-cron': entry<{ value: string; detail: string }>({
    severity: 'error',
    summary: 'A cron expression cannot be read.',
    message: (a) => `invalid cron expression \`${a.value}\`: ${a.detail}`,
  }),
  'invalid-timezone': entry<{ value: string; suggestion?: string }>({
    severity: 'error',
    summary: 'A time zone is not an IANA time zone name.',
    message: (a) => `unknown time zone \`${a.value}\`: use an IANA name such as Europe/Berlin or UTC${suggestion(a.suggestion)}`,
  }),
  'invalid-date': entry<{ value: string; expected: string }>({
    severity: 'error',
    summary: 'A date or time cannot be read.',
    message: (a) => `invalid date \`${a.value}\`: expected ${a.expected}`,
  }),

  // ── partitions ────────────────────────────────────────────────────────────
  'partition-mapping-incompatible': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A dependency mapping does not fit the partitions of the two assets.',
    message: ({ detail }) => detail,
  }),
  'partition-definition-invalid': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A partition definition is inconsistent (start after end, misaligned start, nested multi, …).',
    message: ({ detail }) => detail,
  }),
  'invalid-partition-key': entry<{ key: string; partitions: string; detail: string }>({
    severity: 'error',
    summary: 'A partition key is not a key of the partition definition.',
    message: (a) => `\`${a.key}\` is not a partition of \`${a.partitions}\`: ${a.detail}`,
  }),
  'pipeline-partitions-mixed': entry<{ pipeline: string; definitions: readonly string[] }>({
    severity: 'error',
    summary: 'A pipeline selects assets with different partition definitions.',
    message: (a) =>
      `pipeline \`${a.pipeline}\` selects assets partitioned in different ways (${list(a.definitions)}); a run targets one partition key`,
    hint: 'Split the pipeline, or give the assets one shared partition definition.',
  }),
  'schedule-partition-unpartitioned': entry<{ pipeline: string }>({
    severity: 'error',
    summary: 'A schedule picks a partition for a pipeline whose assets are not partitioned.',
    message: (a) => `pipeline \`${a.pipeline}\` is not partitioned, so a schedule cannot target a partition`,
  }),

  // ── expressions ───────────────────────────────────────────────────────────
  'expression-syntax': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A `${…}` expression cannot be read.',
    message: ({ detail }) => `invalid expression: ${detail}`,
  }),
  'expression-unknown': entry<{ reference: string; detail: string }>({
    severity: 'error',
    summary: 'A `${…}` expression references something that does not exist here.',
    message: (a) => `\`\${${a.reference}}\` ${a.detail}`,
  }),

  // ── selections and pipelines ──────────────────────────────────────────────
  'selection-syntax': entry<{ detail: string }>({
    severity: 'error',
    summary: 'An asset selection cannot be parsed.',
    message: ({ detail }) => `invalid asset selection: ${detail}`,
  }),
  'selection-empty': entry<{ selection: string }>({
    severity: 'error',
    summary: 'An asset selection matches no asset.',
    message: ({ selection }) => `asset selection \`${selection}\` matches no asset`,
  }),
  'schedule-dst-ambiguous': entry<{ cron: string; timezone: string; example: string }>({
    severity: 'warning',
    summary: 'A schedule fires inside a daylight-saving changeover of its time zone.',
    message: (a) =>
      `\`${a.cron}\` in ${a.timezone} fires at a time the clocks skip or repeat (e.g. ${a.example}): that day it runs never or at an unpredictable instant`,
    hint: 'Schedule it outside the changeover hour, or use UTC.',
  }),
  'script-not-found': entry<{ path: string }>({
    severity: 'warning',
    summary: 'A command argument looks like a project file that does not exist.',
    message: ({ path }) => `\`${path}\` looks like a project file but does not exist`,
  }),
  'duplicate-check': entry<{ name: string }>({
    severity: 'error',
    summary: 'An asset declares two checks with one name.',
    message: ({ name }) => `check \`${name}\` is declared twice on this asset`,
  }),
} as const;

export type Code = keyof typeof catalogue;
export type MessageArgs<C extends Code> = Parameters<(typeof catalogue)[C]['message']>[0];
