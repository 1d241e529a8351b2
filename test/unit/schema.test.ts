// The JSON Schemas of the spec language: they compile strictly, accept the documented examples, reject
// mistakes at the right place, document every field, and the generated types do not drift from them.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateTypes } from '../../runtime/build/generate-types.ts';
import type { Check, Mapping, PartitionDefinition, Resource, Sensor, Step } from '../../runtime/spec/generated/types.ts';

type Schema = Record<string, unknown>;

const root = new URL('../../', import.meta.url);
const specSchema = JSON.parse(readFileSync(new URL('schema/spec.schema.json', root), 'utf8')) as Schema;
const projectSchema = JSON.parse(readFileSync(new URL('schema/project.schema.json', root), 'utf8')) as Schema;

function compileSchemas(): { spec: ValidateFunction; project: ValidateFunction } {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(specSchema, 'spec.schema.json');
  ajv.addSchema(projectSchema, 'project.schema.json');
  return { spec: ajv.getSchema('spec.schema.json')!, project: ajv.getSchema('project.schema.json')! };
}

let validate: { spec: ValidateFunction; project: ValidateFunction };
beforeAll(() => {
  validate = compileSchemas();
});

/** The errors a diagnostic would be made of: `if` errors only repeat that a variant's `then` failed. */
function errorsOf(which: 'spec' | 'project', doc: unknown): Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>[] {
  const fn = validate[which];
  fn(doc);
  return (fn.errors ?? []).filter((e) => e.keyword !== 'if').map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));
}

const specWith = (asset: Record<string, unknown>) => ({ assets: { a: asset } });

// The two examples of DESIGN.md §2, verbatim.
const DESIGN_WEIR_YAML = `
# weir.yaml
# yaml-language-server: $schema=schema/project.schema.json
project: acme-analytics
specs: [pipelines]                 # folders (or globs) holding spec files
defaults:                          # layered: project → pipeline → asset/task; \`weir explain\` shows the result
  retry: { attempts: 3, backoff: exponential, initial: 10s, max: 5m }
  timeout: 1h
resources:
  warehouse: { kind: postgres, url: "\${env.WAREHOUSE_URL}" }
  events_api: { kind: http, base_url: https://events.example.com, headers: { Authorization: "Bearer \${secret.EVENTS_TOKEN}" } }
pools:
  warehouse: { limit: 4 }          # at most 4 steps using this pool at once, across all runs
environments:                      # selected with --env or WEIR_ENV
  dev: { resources: { warehouse: { url: postgres://localhost/dev } } }
`;

const DESIGN_SPEC_YAML = `
# pipelines/user_events.yaml
# yaml-language-server: $schema=../schema/spec.schema.json
partitions:
  daily:  { kind: time, cadence: daily, start: "2026-01-01", timezone: UTC }   # hourly|daily|weekly|monthly
  region: { kind: static, keys: [us-east, eu-west, ap-south] }
  daily_region: { kind: multi, dimensions: [daily, region] }                    # any number of dimensions
  customer: { kind: dynamic }                                                   # keys added at runtime

assets:
  raw_events:
    description: Raw click events for one day, from the events API.
    group: user_events
    owners: [team:data-eng]
    tags: { layer: bronze }
    partitions: daily
    step:
      kind: command
      run: [node, scripts/fetch-events.mjs, --date, "\${partition.key}"]
    retry: { attempts: 5, backoff: exponential, initial: 30s, max: 10m }
    timeout: 15m
    pool: warehouse
    checks:
      - name: has_rows
        kind: sql
        resource: warehouse
        query: select count(*) > 0 as passed from raw_events where day = \${partition.key}
        severity: error            # error: downstream does not consume this partition; warn: recorded only
    freshness: { max_lag: 26h }

  clean_events:
    deps: [raw_events]             # default mapping: same partition / overlapping time window
    partitions: daily
    step: { kind: sql, resource: warehouse, file: sql/clean_events.sql }

  weekly_summary:
    partitions: { kind: time, cadence: weekly, start: "2026-01-05" }
    deps:
      - asset: clean_events
        mapping: { kind: window, start: -6, end: 0 }   # also: identity | all | last | dimension
    step: { kind: sql, resource: warehouse, file: sql/weekly_summary.sql }
    automation: eager              # eager | missing | { on_cron: "0 6 * * 1" }

pipelines:
  daily_user_events:
    select: "group:user_events"    # asset selection: name, +name, name+, group:, tag:k=v, owner:, and/or/not
    params:
      full_refresh: { type: boolean, default: false }
    concurrency: { limit: 1, behavior: queue }    # queue | cancel_new | cancel_running | fail
  nightly_maintenance:             # a task DAG (Airflow-style) instead of an asset selection
    tasks:
      vacuum: { step: { kind: sql, resource: warehouse, query: vacuum analyze } }
      notify:
        needs: [vacuum]
        step: { kind: http, method: POST, url: "\${env.SLACK_WEBHOOK}", json: { text: "vacuum done" } }

schedules:
  user_events_3am:
    pipeline: daily_user_events
    cron: "0 3 * * *"
    timezone: Europe/Berlin
    partition: previous            # which partition a tick targets: previous | current | "\${...}"
    overlap: skip                  # skip | buffer_one | buffer_all | cancel_other | allow_all
    catchup: 7d
    jitter: 30s

sensors:
  incoming_files:
    kind: file                     # file | http | asset | webhook
    path: /data/incoming/*.csv
    every: 30s
    start: { pipeline: ingest_file, params: { file: "\${sensor.path}" }, key: "\${sensor.path}" }
`;

describe('spec language schemas', () => {
  it('generates types identical to runtime/spec/generated (run `npm run gen:types` when this fails)', async () => {
    for (const [file, content] of Object.entries(await generateTypes())) {
      const onDisk = readFileSync(new URL(file, root), 'utf8');
      expect(onDisk, `${file} is out of date with schema/*.schema.json: run \`npm run gen:types\``).toBe(content);
    }
  });

  it('compiles both schemas together with ajv in strict mode', () => {
    const compiled = compileSchemas();
    expect(typeof compiled.spec).toBe('function');
    expect(typeof compiled.project).toBe('function');
  });

  it('accepts the weir.yaml example of the design', () => {
    expect(errorsOf('project', parse(DESIGN_WEIR_YAML))).toEqual([]);
  });

  it('accepts the spec file example of the design', () => {
    expect(errorsOf('spec', parse(DESIGN_SPEC_YAML))).toEqual([]);
  });

  it('accepts every spec section in weir.yaml', () => {
    expect(errorsOf('project', { project: 'acme', ...parse(DESIGN_SPEC_YAML) })).toEqual([]);
  });

  it('accepts one of each step kind', () => {
    const tasks = {
      command: { step: { kind: 'command', shell: 'make all', env: { MODE: 'full' }, cwd: 'tools' } },
      sql: { step: { kind: 'sql', resource: 'warehouse', query: 'select 1' } },
      http: {
        step: {
          kind: 'http',
          resource: 'events_api',
          method: 'POST',
          path: '/v1/exports',
          body: 'x',
          expect: { status: [202] },
          poll: { every: '10s', timeout: '1h', until: { json: { path: '$.state', equals: 'done' } } },
        },
      },
      node: { step: { kind: 'node', module: 'scripts/export.ts', export: 'run', args: { limit: 10 } } },
      wait: { step: { kind: 'wait', until: { asset: 'raw_events', partition: '${partition.key}' }, every: '1m', timeout: '6h' } },
      approval: { step: { kind: 'approval', message: 'Publish?', approvers: ['team:data-eng', 'ada@example.com'], timeout: '1d' } },
      pipeline: { step: { kind: 'pipeline', pipeline: 'daily_user_events', params: { full_refresh: true }, partition: '2026-01-01' } },
    };
    expect(errorsOf('spec', { pipelines: { all_steps: { tasks } } })).toEqual([]);
  });

  it('accepts one of each check kind', () => {
    const checks = [
      { name: 'passes', kind: 'sql', resource: 'warehouse', file: 'sql/check.sql', severity: 'warn' },
      { name: 'script', kind: 'command', run: ['python', 'check.py'] },
      { name: 'rows', kind: 'row_count', resource: 'warehouse', table: 'analytics.raw_events', min: 1, where: 'day = ${partition.key}' },
      { name: 'ids', kind: 'not_null', resource: 'warehouse', table: 'raw_events', columns: ['id', 'day'] },
      { name: 'keys', kind: 'unique', resource: 'warehouse', table: 'raw_events', columns: ['id'] },
    ];
    expect(errorsOf('spec', specWith({ checks }))).toEqual([]);
  });

  it('accepts one of each sensor kind', () => {
    const start = { pipeline: 'ingest', key: '${sensor.key}' };
    const sensors = {
      files: { kind: 'file', path: '/data/*.csv', start },
      api: { kind: 'http', url: 'https://x.example.com/ready', until: { status: [200] }, every: '5m', start },
      upstream: { kind: 'asset', asset: 'raw_events', partitions: ['2026-*'], start },
      hook: { kind: 'webhook', token: '${secret.HOOK_TOKEN}', start, paused: true },
    };
    expect(errorsOf('spec', { sensors })).toEqual([]);
  });

  it('accepts every resource kind and an environment overlay', () => {
    const doc = {
      project: 'acme',
      resources: {
        bucket: { kind: 's3', bucket: 'lake', region: 'eu-central-1' },
        misc: { kind: 'generic', config: { anything: [1, 2] } },
      },
      environments: { dev: { resources: { bucket: { endpoint: 'http://localhost:9000' } }, pools: { warehouse: { limit: 1 } }, defaults: { timeout: '5m' } } },
    };
    expect(errorsOf('project', doc)).toEqual([]);
  });

  it('accepts top-level x- extension keys', () => {
    expect(errorsOf('spec', { 'x-defaults': { anything: true }, assets: {} })).toEqual([]);
  });

  it('rejects an unknown property in a step at the step', () => {
    const errors = errorsOf('spec', specWith({ step: { kind: 'sql', resource: 'w', query: 'select 1', querry: 'x' } }));
    expect(errors).toEqual([{ instancePath: '/assets/a/step', keyword: 'additionalProperties', params: { additionalProperty: 'querry' } }]);
  });

  it('rejects an unknown step kind at its kind, listing the known kinds', () => {
    const errors = errorsOf('spec', specWith({ step: { kind: 'bash', run: ['x'] } }));
    expect(errors).toEqual([
      {
        instancePath: '/assets/a/step/kind',
        keyword: 'enum',
        params: { allowedValues: ['command', 'sql', 'http', 'node', 'wait', 'approval', 'pipeline'] },
      },
    ]);
  });

  it('rejects a sql step with both query and file at the query', () => {
    const errors = errorsOf('spec', specWith({ step: { kind: 'sql', resource: 'w', query: 'select 1', file: 'a.sql' } }));
    expect(errors).toEqual([{ instancePath: '/assets/a/step/query', keyword: 'false schema', params: {} }]);
  });

  it('rejects a sql step with neither query nor file at the step', () => {
    const errors = errorsOf('spec', specWith({ step: { kind: 'sql', resource: 'w' } }));
    expect(errors).toEqual([{ instancePath: '/assets/a/step', keyword: 'not', params: {} }]);
  });

  it('rejects a malformed duration at the duration', () => {
    const errors = errorsOf('spec', specWith({ timeout: '15 minutes' }));
    expect(errors).toEqual([{ instancePath: '/assets/a/timeout', keyword: 'pattern', params: { pattern: '^([0-9]+(ms|s|m|h|d|w))+$' } }]);
  });

  it('rejects an asset name that breaks the name pattern, naming the key', () => {
    const fn = validate.spec;
    fn({ assets: { 'Raw-Events': {} } });
    expect(fn.errors).toContainEqual(expect.objectContaining({ instancePath: '/assets', keyword: 'propertyNames', params: { propertyName: 'Raw-Events' } }));
  });

  it('rejects a task name with a dot', () => {
    const errors = errorsOf('spec', { pipelines: { p: { tasks: { 'a.b': { step: { kind: 'sql', resource: 'w', query: 'x' } } } } } });
    expect(errors).toContainEqual({ instancePath: '/pipelines/p/tasks', keyword: 'propertyNames', params: { propertyName: 'a.b' } });
  });

  it('rejects a name longer than 128 characters', () => {
    const errors = errorsOf('spec', { assets: { ['a'.repeat(129)]: {} } });
    expect(errors.map((e) => e.keyword)).toEqual(['maxLength', 'propertyNames']);
  });

  it('rejects a pipeline with both select and tasks at the select', () => {
    const errors = errorsOf('spec', { pipelines: { p: { select: 'a', tasks: { t: { step: { kind: 'sql', resource: 'w', query: 'x' } } } } } });
    expect(errors).toEqual([{ instancePath: '/pipelines/p/select', keyword: 'false schema', params: {} }]);
  });

  it('rejects an unknown partition kind inside an inline definition at its kind', () => {
    const errors = errorsOf('spec', specWith({ partitions: { kind: 'daily' } }));
    expect(errors).toContainEqual({ instancePath: '/assets/a/partitions/kind', keyword: 'enum', params: { allowedValues: ['time', 'static', 'multi', 'dynamic'] } });
  });

  it('rejects a window mapping that looks ahead', () => {
    const errors = errorsOf('spec', specWith({ deps: [{ asset: 'b', mapping: { kind: 'window', start: -1, end: 1 } }] }));
    expect(errors).toContainEqual(expect.objectContaining({ instancePath: '/assets/a/deps/0/mapping/end', keyword: 'maximum' }));
  });

  it('rejects a multi partition definition with one dimension', () => {
    const errors = errorsOf('spec', { partitions: { p: { kind: 'multi', dimensions: ['daily'] } } });
    expect(errors).toEqual([{ instancePath: '/partitions/p/dimensions', keyword: 'minItems', params: { limit: 2 } }]);
  });

  it('rejects an enum param without values', () => {
    const errors = errorsOf('spec', { pipelines: { p: { select: 'a', params: { mode: { type: 'enum' } } } } });
    expect(errors).toEqual([{ instancePath: '/pipelines/p/params/mode', keyword: 'required', params: { missingProperty: 'values' } }]);
  });

  it('rejects a sensor start key that is not an expression', () => {
    const errors = errorsOf('spec', { sensors: { s: { kind: 'file', path: '*.csv', start: { pipeline: 'p', key: 'constant' } } } });
    expect(errors).toEqual([expect.objectContaining({ instancePath: '/sensors/s/start/key', keyword: 'pattern' })]);
  });

  it('rejects a webhook token written in plain text', () => {
    const errors = errorsOf('spec', { sensors: { s: { kind: 'webhook', token: 'hunter2', start: { pipeline: 'p', key: '${sensor.id}' } } } });
    expect(errors).toEqual([expect.objectContaining({ instancePath: '/sensors/s/token', keyword: 'pattern' })]);
  });

  it('rejects a sugar check table that could inject SQL', () => {
    const errors = errorsOf('spec', specWith({ checks: [{ name: 'rows', kind: 'row_count', resource: 'w', table: 'x; drop table y' }] }));
    expect(errors).toEqual([expect.objectContaining({ instancePath: '/assets/a/checks/0/table', keyword: 'pattern' })]);
  });

  it('rejects a weir.yaml without a project name', () => {
    expect(errorsOf('project', { specs: ['pipelines'] })).toEqual([{ instancePath: '', keyword: 'required', params: { missingProperty: 'project' } }]);
  });

  it('rejects an unknown top-level key that does not start with x-', () => {
    expect(errorsOf('spec', { asset: {} })).toEqual([{ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'asset' } }]);
  });

  it('describes every property and definition of both schemas', () => {
    const missing = [...undocumented(specSchema, 'spec.schema.json#'), ...undocumented(projectSchema, 'project.schema.json#')];
    expect(missing, `add a description to: ${missing.join(', ')}`).toEqual([]);
  });

  it('gives each union of the schema the same kinds as its generated type', () => {
    const kinds: Record<string, Record<string, true>> = {
      step: { command: true, sql: true, http: true, node: true, wait: true, approval: true, pipeline: true } satisfies Record<Step['kind'], true>,
      check: { sql: true, command: true, row_count: true, not_null: true, unique: true } satisfies Record<Check['kind'], true>,
      resource: { postgres: true, http: true, s3: true, generic: true } satisfies Record<Resource['kind'], true>,
      partition_definition: { time: true, static: true, multi: true, dynamic: true } satisfies Record<PartitionDefinition['kind'], true>,
      mapping: { identity: true, window: true, all: true, last: true, dimension: true } satisfies Record<Mapping['kind'], true>,
      sensor: { file: true, http: true, asset: true, webhook: true } satisfies Record<Sensor['kind'], true>,
    };
    const defs = specSchema.$defs as Record<string, { properties: { kind: { enum: string[] } } }>;
    for (const [def, expected] of Object.entries(kinds)) {
      expect(defs[def]!.properties.kind.enum, def).toEqual(Object.keys(expected));
    }
  });
});

// Positions holding schemas a user writes values against; `if`, `then`, `not` and `dependentSchemas` only constrain.
const DECLARING_ONE = ['items', 'additionalProperties'] as const;
const DECLARING_LIST = ['anyOf', 'oneOf', 'allOf'] as const;

/** JSON pointers of properties and definitions without a description. */
function undocumented(schema: Schema, at: string): string[] {
  const out: string[] = [];
  const defs = (schema.$defs ?? {}) as Record<string, Schema>;
  for (const [name, def] of Object.entries(defs)) {
    if (typeof def.description !== 'string') out.push(`${at}/$defs/${name}`);
    walk(def, `${at}/$defs/${name}`, out);
  }
  walk(schema, at, out);
  return out;
}

function walk(schema: unknown, at: string, out: string[]): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Schema;
  for (const [name, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    if (typeof prop.description !== 'string') out.push(`${at}/properties/${name}`);
    walk(prop, `${at}/properties/${name}`, out);
  }
  for (const key of DECLARING_ONE) walk(s[key], `${at}/${key}`, out);
  for (const key of DECLARING_LIST) {
    const list = s[key];
    if (Array.isArray(list)) list.forEach((branch, i) => walk(branch, `${at}/${key}/${i}`, out));
  }
}
