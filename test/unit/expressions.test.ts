import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  ExpressionError,
  parseTemplate,
  redact,
  renderArgv,
  renderSql,
  renderString,
  renderValue,
  type Scope,
  type Values,
} from '../../runtime/spec/expressions.ts';

/** The messages `checkTemplate` reports for one template. */
const messages = (template: string, scope: Scope): string[] => checkTemplate(template, scope).map((p) => p.message);
const ok = (template: string, scope: Scope): void => expect(checkTemplate(template, scope)).toEqual([]);

const dailyAsset: Scope = { partition: { time: true }, where: 'asset `raw_events`' };
const staticAsset: Scope = { partition: { time: false }, where: 'asset `regional`' };
const multiAsset: Scope = { partition: { time: true, dimensions: ['daily', 'region'] }, where: 'asset `daily_region`' };
const plainAsset: Scope = { where: 'asset `clean_events`' };

describe('parseTemplate', () => {
  it('splits text and references, each placeholder spanning `${` to `}`', () => {
    const { parts, problems } = parseTemplate('day=${partition.key}!');
    expect(problems).toEqual([]);
    expect(parts).toEqual([
      { kind: 'text', text: 'day=' },
      { kind: 'ref', ref: { root: 'partition', path: ['key'], offset: 4, length: 16, text: 'partition.key' } },
      { kind: 'text', text: '!' },
    ]);
  });

  it('allows whitespace inside the braces', () => {
    const { parts } = parseTemplate('${  params.full_refresh\t}');
    expect(parts).toEqual([{ kind: 'ref', ref: { root: 'params', path: ['full_refresh'], offset: 0, length: 25, text: 'params.full_refresh' } }]);
  });

  it('reads `$${` as a literal `${`', () => {
    expect(parseTemplate('cost: $${x} and $5').parts).toEqual([{ kind: 'text', text: 'cost: ${x} and $5' }]);
  });

  it('reads references next to an escaped `${`', () => {
    const { parts } = parseTemplate('$${a}${run.id}');
    expect(parts.map((p) => p.kind)).toEqual(['text', 'ref']);
    expect(parts[1]).toMatchObject({ ref: { offset: 5, length: 9 } });
  });

  it('reads bracketed keys in single and double quotes', () => {
    const { parts } = parseTemplate(`\${steps['sales.orders'].outputs["row.count"]}`);
    expect(parts[0]).toMatchObject({ kind: 'ref', ref: { root: 'steps', path: ['sales.orders', 'outputs', 'row.count'] } });
  });

  it('allows dashes in names', () => {
    expect(parseTemplate('${sensor.headers.X-Signature}').parts[0]).toMatchObject({ ref: { path: ['headers', 'X-Signature'] } });
  });

  it('returns a template without `$` as one text part', () => {
    expect(parseTemplate('plain text')).toEqual({ parts: [{ kind: 'text', text: 'plain text' }], problems: [] });
  });

  it('reports an empty `${}`', () => {
    expect(parseTemplate('a ${ }').problems).toEqual([{ offset: 2, length: 4, message: '`${}` is empty: expected a reference such as partition.key' }]);
  });

  it('reports an operator at the offset of the offending character', () => {
    expect(parseTemplate('${params.n + 1}').problems).toEqual([
      {
        offset: 11,
        length: 1,
        message: 'unexpected `+` after `params.n`: expected `}`; expressions are plain references, without operators or function calls',
      },
    ]);
  });

  it('reports a function call', () => {
    expect(parseTemplate('${upper(params.x)}').problems[0]).toMatchObject({ offset: 7, message: expect.stringContaining('unexpected `(` after `upper`') });
  });

  it('reports a reference that does not start with a name', () => {
    expect(parseTemplate('${1day}').problems).toEqual([{ offset: 2, length: 1, message: 'unexpected `1`: expected a reference such as partition.key' }]);
  });

  it('reports a missing name after a dot', () => {
    expect(parseTemplate('${partition.}').problems).toEqual([{ offset: 12, length: 1, message: 'expected a name after `.`, found `}`' }]);
  });

  it('reports whitespace between the parts of a reference', () => {
    expect(parseTemplate('${partition .key}').problems[0]).toMatchObject({ offset: 12, message: expect.stringContaining('unexpected `.` after `partition`') });
  });

  it('names a space as the offending character', () => {
    expect(parseTemplate('${partition key}').problems[0]).toMatchObject({ offset: 12, message: expect.stringContaining('unexpected `k`') });
    expect(parseTemplate('${a. b}').problems[0]?.message).toBe('expected a name after `.`, found a space');
  });

  it('reports a bracket without a quoted key', () => {
    expect(parseTemplate('${steps[load]}').problems[0]).toMatchObject({ offset: 8, message: expect.stringContaining('expected a quoted key after `[`') });
  });

  it('reports an empty quoted key', () => {
    expect(parseTemplate("${steps['']}").problems[0]).toMatchObject({ offset: 8, length: 2, message: 'a quoted key must not be empty' });
  });

  it('reports a quoted key without its closing quote', () => {
    expect(parseTemplate(`\${steps["load}`).problems).toEqual([{ offset: 8, length: 6, message: 'the quoted key is never closed: expected `"`' }]);
  });

  it('reports a quoted key without its `]`', () => {
    expect(parseTemplate("${steps['a'.x}").problems[0]).toMatchObject({ offset: 11, message: 'expected `]` after the quoted key, found `.`' });
  });

  it('reports an unclosed `${` from its start to the end of the template', () => {
    expect(parseTemplate('run ${run.id').problems).toEqual([{ offset: 4, length: 8, message: '`${` is never closed: expected `}`' }]);
  });

  it('keeps reading after a problem and reports every one', () => {
    const { parts, problems } = parseTemplate('${a+b} ${run.id} ${c(d)}');
    expect(problems.map((p) => p.offset)).toEqual([3, 20]);
    expect(parts.filter((p) => p.kind === 'ref')).toHaveLength(1);
  });
});

describe('checkTemplate: partition', () => {
  it('allows partition.key where the asset is partitioned', () => ok('${partition.key}', staticAsset));

  it('rejects partition.key where the asset has no partitions', () => {
    expect(checkTemplate('x ${partition.key}', plainAsset)).toEqual([
      {
        offset: 2,
        length: 16,
        reference: 'partition.key',
        message: 'is only available where the asset is partitioned; asset `clean_events` has no partitions',
        syntax: false,
      },
    ]);
  });

  it('rejects partition.key in a task of an unpartitioned pipeline', () => {
    expect(messages('${partition.key}', { where: 'task `notify`' })).toEqual([
      'is only available where the pipeline is partitioned; the pipeline of task `notify` has no partitions',
    ]);
  });

  it('rejects partition.key in an unpartitioned pipeline', () => {
    expect(messages('${partition.key}', { where: 'pipeline `nightly`' })).toEqual(['is only available where the pipeline is partitioned; pipeline `nightly` has no partitions']);
  });

  it('rejects partition.key in a sensor', () => {
    expect(messages('${partition.key}', { sensor: 'file', where: 'sensor `incoming`' })).toEqual([
      'is only available inside a partitioned asset or pipeline, not in sensor `incoming`',
    ]);
  });

  it('allows partition.start and partition.end for time partitions', () => ok('${partition.start}..${partition.end}', dailyAsset));

  it('rejects partition.start for static partitions', () => {
    expect(messages('${partition.start}', staticAsset)).toEqual(['is only available for time partitions; the partitions of asset `regional` are not time-based']);
  });

  it('allows partition.end for a multi partition with a time dimension', () => ok('${partition.end}', multiAsset));

  it('rejects partition.end for a multi partition without a time dimension', () => {
    expect(messages('${partition.end}', { ...multiAsset, partition: { time: false, dimensions: ['region', 'customer'] } })).toEqual([
      'is only available for time partitions; the partitions of asset `daily_region` are not time-based in any dimension',
    ]);
  });

  it('allows partition.keys of a declared dimension, in dotted or bracketed form', () => ok(`\${partition.keys.region} \${partition.keys['daily']}`, multiAsset));

  it('rejects partition.keys for single-dimension partitions', () => {
    expect(messages('${partition.keys.region}', dailyAsset)).toEqual([
      'is only available for multi-dimensional partitions; asset `raw_events` has one dimension, so use `partition.key`',
    ]);
  });

  it('rejects an undeclared dimension and suggests the nearest', () => {
    expect(messages('${partition.keys.regoin}', multiAsset)).toEqual([
      'refers to dimension `regoin`, which the partitions of asset `daily_region` do not have; did you mean `region`?',
    ]);
  });

  it('lists the dimensions when none is near', () => {
    expect(messages('${partition.keys.customer}', multiAsset)).toEqual([
      'refers to dimension `customer`, which the partitions of asset `daily_region` do not have; they have `daily` and `region`',
    ]);
  });

  it('rejects partition.keys without a dimension', () => {
    expect(messages('${partition.keys}', multiAsset)).toEqual(['needs a dimension: write `partition.keys.<dimension>` with one of `daily` or `region`']);
  });

  it('rejects an unknown field of partition and suggests the nearest', () => {
    expect(messages('${partition.kye}', dailyAsset)).toEqual([
      'refers to unknown field `kye` of `partition`; `partition` has `key`, `start`, `end` and `keys`; did you mean `key`?',
    ]);
  });

  it('rejects a bare partition', () => {
    expect(messages('${partition}', dailyAsset)).toEqual(['needs a field: write `partition.key`, `partition.start`, `partition.end` or `partition.keys`']);
  });

  it('rejects a field below partition.key', () => {
    expect(messages('${partition.key.year}', dailyAsset)).toEqual(['goes below `partition.key`, which is a single value and has no field `year`']);
  });
});

describe('checkTemplate: params', () => {
  const pipeline: Scope = { params: new Set(['full_refresh', 'limit']), where: 'pipeline `x`' };

  it('allows a declared param', () => ok('${params.full_refresh}', pipeline));

  it('rejects an undeclared param and suggests the nearest', () => {
    expect(messages('${params.ful_refresh}', pipeline)).toEqual(['refers to param `ful_refresh`, which pipeline `x` does not declare; did you mean `full_refresh`?']);
  });

  it('names the pipeline of a task', () => {
    expect(messages('${params.other}', { params: new Set(), where: 'task `load`' })).toEqual(['refers to param `other`, which the pipeline of task `load` does not declare']);
  });

  it('names the selecting pipelines for an asset', () => {
    expect(messages('${params.other}', { params: new Set(['limit']), where: 'asset `raw_events`' })).toEqual([
      'refers to param `other`, which is not declared by every pipeline that selects asset `raw_events`',
    ]);
  });

  it('treats an asset without params as declaring none', () => {
    expect(messages('${params.limit}', plainAsset)).toEqual(['refers to param `limit`, which is not declared by every pipeline that selects asset `clean_events`']);
  });

  it('rejects params outside pipelines, tasks and assets', () => {
    expect(messages('${params.limit}', { schedule: true, where: 'schedule `nightly`' })).toEqual([
      'is only available inside a pipeline, its tasks and the assets it selects, not in schedule `nightly`',
    ]);
  });

  it('rejects params without a name', () => {
    expect(messages('${params}', pipeline)).toEqual(['needs a param name: write `params.<name>` with one of `full_refresh` or `limit`']);
  });
});

describe('checkTemplate: steps', () => {
  const notify: Scope = { knownTasks: new Set(['vacuum', 'load', 'notify']), upstreamTasks: new Set(['vacuum']), currentTask: 'notify', where: 'task `notify`' };

  it('allows an output of an upstream task', () => ok('${steps.vacuum.outputs.rows}', notify));

  it('allows a path below an output', () => ok("${steps.vacuum.outputs.stats['table.name']}", notify));

  it('rejects a task that is not upstream and says to add it to needs', () => {
    expect(messages('${steps.load.outputs.path}', notify)).toEqual(['refers to task `load`, which is not upstream of `notify`; add it to `needs`']);
  });

  it('rejects an asset that is not upstream and says to add it to deps', () => {
    const scope: Scope = { knownTasks: new Set(['raw_events', 'report']), upstreamTasks: new Set(), currentTask: 'report', where: 'asset `report`' };
    expect(messages('${steps.raw_events.outputs.path}', scope)).toEqual(['refers to asset `raw_events`, which is not upstream of `report`; add it to `deps`']);
  });

  it('rejects an unknown task and suggests the nearest', () => {
    expect(messages('${steps.vacum.outputs.rows}', notify)).toEqual(['refers to task `vacum`, which does not exist; did you mean `vacuum`?']);
  });

  it('rejects a step reading its own outputs', () => {
    expect(messages('${steps.notify.outputs.x}', notify)).toEqual(['refers to task `notify` itself: a step cannot read its own outputs']);
  });

  it('rejects a step reference without `outputs`', () => {
    expect(messages('${steps.vacuum.metadata.rows}', notify)).toEqual(['is not a step output: write `steps.vacuum.outputs.<name>`']);
  });

  it('rejects a step reference without an output name', () => {
    expect(messages('${steps.vacuum.outputs}', notify)).toEqual(['needs an output name: write `steps.vacuum.outputs.<name>`']);
  });

  it('rejects steps without a task', () => {
    expect(messages('${steps}', notify)).toEqual(['needs a task and an output: write `steps.<task>.outputs.<name>`']);
  });

  it('rejects steps where no task exists', () => {
    expect(messages('${steps.a.outputs.b}', { where: 'resource `warehouse`' })).toEqual([
      'is only available inside tasks and assets, which can read the outputs of steps upstream; not in resource `warehouse`',
    ]);
  });

  it('reads upstream tasks only when a reference needs them', () => {
    let reads = 0;
    const scope: Scope = {
      ...notify,
      get upstreamTasks() {
        reads++;
        return new Set(['vacuum']);
      },
    };
    checkTemplate('${run.id} ${steps.unknown.outputs.x}', scope);
    expect(reads).toBe(0);
    checkTemplate('${steps.vacuum.outputs.x}', scope);
    expect(reads).toBe(1);
  });
});

describe('checkTemplate: env and secret', () => {
  it('allows env and secret variables', () => ok('${env.WAREHOUSE_URL} ${secret.EVENTS_TOKEN} ${env._x1}', {}));

  it('rejects a variable name with a dash', () => {
    expect(messages('${env.SLACK-HOOK}', {})).toEqual(['names `SLACK-HOOK`, which is not a variable name: use letters, digits and `_`, not starting with a digit']);
  });

  it('rejects env without a name', () => {
    expect(messages('${env}', {})).toEqual(['needs a variable name: write `env.WAREHOUSE_URL`']);
  });

  it('rejects secret without a name', () => {
    expect(messages('${secret}', {})).toEqual(['needs a variable name: write `secret.EVENTS_TOKEN`']);
  });

  it('rejects a field below a variable', () => {
    expect(messages('${secret.TOKEN.value}', {})).toEqual(['goes below `secret.TOKEN`, which is a single value and has no field `value`']);
  });
});

describe('checkTemplate: run', () => {
  it('allows run.id, run.pipeline and run.started_at', () => ok('${run.id} ${run.pipeline} ${run.started_at}', {}));

  it('rejects an unknown field of run', () => {
    expect(messages('${run.partition}', {})).toEqual(['refers to unknown field `partition` of `run`; `run` has `id`, `pipeline` and `started_at`']);
  });

  it('rejects a bare run', () => {
    expect(messages('${run}', {})).toEqual(['needs a field: `run` has `id`, `pipeline` and `started_at`']);
  });
});

describe('checkTemplate: sensor', () => {
  it('allows the fields of a file sensor', () => ok('${sensor.path} ${sensor.modified_at}', { sensor: 'file' }));

  it('allows an http sensor status and any path below its body', () => ok('${sensor.status} ${sensor.body.items.first} ${sensor.body}', { sensor: 'http' }));

  it('allows the fields of an asset sensor', () => ok('${sensor.asset} ${sensor.partition}', { sensor: 'asset' }));

  it('allows a webhook body and one named header', () => ok('${sensor.body.ref} ${sensor.headers.X-Github-Event}', { sensor: 'webhook' }));

  it('rejects a field of another sensor kind', () => {
    expect(messages('${sensor.path}', { sensor: 'http', where: 'sensor `api`' })).toEqual([
      'refers to unknown field `path` of `sensor`; a `http` sensor provides `status` and `body`',
    ]);
  });

  it('suggests the nearest sensor field', () => {
    expect(messages('${sensor.pth}', { sensor: 'file' })).toEqual([
      'refers to unknown field `pth` of `sensor`; a `file` sensor provides `path` and `modified_at`; did you mean `path`?',
    ]);
  });

  it('rejects webhook headers without a name', () => {
    expect(messages('${sensor.headers}', { sensor: 'webhook' })).toEqual(['needs a name: write `sensor.headers.<name>`']);
  });

  it('rejects a field below a single sensor value', () => {
    expect(messages('${sensor.path.name}', { sensor: 'file' })).toEqual(['goes below `sensor.path`, which is a single value and has no field `name`']);
  });

  it('rejects sensor outside a sensor', () => {
    expect(messages('${sensor.path}', plainAsset)).toEqual(["is only available inside a sensor's `start`, not in asset `clean_events`"]);
  });
});

describe('checkTemplate: schedule', () => {
  it('allows schedule.scheduled_at and schedule.name in a schedule', () => ok('${schedule.scheduled_at} ${schedule.name}', { schedule: true }));

  it('rejects schedule outside a schedule', () => {
    expect(messages('${schedule.name}', plainAsset)).toEqual(['is only available inside a schedule, not in asset `clean_events`']);
  });

  it('rejects an unknown field of schedule', () => {
    expect(messages('${schedule.scheduled}', { schedule: true })).toEqual([
      'refers to unknown field `scheduled` of `schedule`; `schedule` has `scheduled_at` and `name`; did you mean `scheduled_at`?',
    ]);
  });
});

describe('checkTemplate', () => {
  it('rejects an unknown root and suggests the nearest', () => {
    expect(messages('${parms.x}', {})).toEqual(['refers to `parms`, which expressions cannot read; did you mean `params`?']);
  });

  it('lists the roots when no root is near', () => {
    expect(messages('${inputs.x}', {})).toEqual([
      'refers to `inputs`, which expressions cannot read; a reference starts with `partition`, `params`, `steps`, `env`, `secret`, `run`, `sensor` or `schedule`',
    ]);
  });

  it('does not mistake an inherited property name for a root', () => {
    expect(messages('${constructor.name}', {})[0]).toContain('which expressions cannot read');
  });

  it('marks syntax problems and keeps their offsets', () => {
    expect(checkTemplate('ok ${a b}', {})).toEqual([
      {
        offset: 7,
        length: 1,
        reference: '',
        message: 'unexpected `b` after `a`: expected `}`; expressions are plain references, without operators or function calls',
        syntax: true,
      },
    ]);
  });

  it('reports every problem of a template with its own offset, in order', () => {
    const problems = checkTemplate('${partition.key}-${run.idd}-${env.OK}-${x y}', plainAsset);
    expect(problems.map((p) => [p.offset, p.syntax])).toEqual([
      [0, false],
      [17, false],
      [42, true],
    ]);
  });
});

const values: Values = {
  partition: { key: '2026-01-02', start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z', keys: { region: 'eu-west' } },
  params: { full_refresh: false, limit: 10, tables: ['a', 'b'], note: null, label: 'x; rm -rf / "quoted" $(whoami)' },
  steps: { load: { outputs: { path: 's3://bucket/x.parquet', stats: { rows: 3 } } } },
  env: { HOME_DIR: '/home/weir' },
  secrets: { TOKEN: 's3cr3t-token', SHORT: 'ab' },
  run: { id: 'run-1', pipeline: 'daily', started_at: '2026-01-03T03:00:00Z' },
  sensor: { path: '/data/in/a b.csv', body: { 'sales.orders': 4 } },
};

describe('renderString', () => {
  it('substitutes references into the text', () => {
    expect(renderString('day=${partition.key} region=${ partition.keys.region }', values)).toEqual({ value: 'day=2026-01-02 region=eu-west', secrets: [] });
  });

  it('writes numbers and booleans as text, objects as JSON and null as nothing', () => {
    expect(renderString('${params.limit}|${params.full_refresh}|${params.tables}|${steps.load.outputs.stats}|${params.note}', values).value).toBe(
      '10|false|["a","b"]|{"rows":3}|',
    );
  });

  it('writes an escaped `${` literally', () => {
    expect(renderString('$${partition.key} ${partition.key}', values).value).toBe('${partition.key} 2026-01-02');
  });

  it('follows bracketed keys', () => {
    expect(renderString("${sensor.body['sales.orders']}", values).value).toBe('4');
  });

  it('returns the substituted secrets for redaction', () => {
    expect(renderString('Bearer ${secret.TOKEN} ${secret.TOKEN}', values)).toEqual({ value: 'Bearer s3cr3t-token s3cr3t-token', secrets: ['s3cr3t-token'] });
  });

  it('throws an ExpressionError naming a reference without a value', () => {
    const error = (() => {
      try {
        renderString('x ${params.missing}', values);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).toMatchObject({ reference: 'params.missing', reason: 'missing', message: '`${params.missing}` has no value in this run' });
  });

  it('throws when a whole root has no values', () => {
    expect(() => renderString('${schedule.name}', values)).toThrow(ExpressionError);
  });

  it('does not follow inherited properties', () => {
    expect(() => renderString('${params.constructor}', values)).toThrow('`${params.constructor}` has no value in this run');
  });

  it('throws an ExpressionError for a template that does not parse', () => {
    expect(() => renderString('${params.limit + 1}', values)).toThrow(expect.objectContaining({ reason: 'syntax' }));
  });
});

describe('renderArgv', () => {
  it('keeps a value with spaces, quotes and `;` inside its one element', () => {
    const { argv } = renderArgv(['echo', '${params.label}', '--path=${sensor.path}'], values);
    expect(argv).toEqual(['echo', 'x; rm -rf / "quoted" $(whoami)', '--path=/data/in/a b.csv']);
  });

  it('keeps an element that renders empty as an element', () => {
    expect(renderArgv(['a', '${params.note}', 'b'], values).argv).toEqual(['a', '', 'b']);
  });

  it('collects secrets from every element once', () => {
    expect(renderArgv(['--token', '${secret.TOKEN}', 'x${secret.TOKEN}'], values).secrets).toEqual(['s3cr3t-token']);
  });
});

describe('renderSql', () => {
  it('turns each reference into a numbered bind parameter with its value', () => {
    expect(renderSql('select * from t where day = ${partition.key} limit ${params.limit}', values)).toEqual({
      text: 'select * from t where day = $1 limit $2',
      params: ['2026-01-02', 10],
      secrets: [],
    });
  });

  it('gives a reference used twice two parameters', () => {
    expect(renderSql('${run.id} ${run.id}', values)).toEqual({ text: '$1 $2', params: ['run-1', 'run-1'], secrets: [] });
  });

  it('never interpolates a hostile value', () => {
    const { text, params } = renderSql('insert into notes values (${params.label})', values);
    expect(text).toBe('insert into notes values ($1)');
    expect(params).toEqual(['x; rm -rf / "quoted" $(whoami)']);
  });

  it('keeps the type of each parameter value', () => {
    expect(renderSql('${params.full_refresh} ${params.note} ${steps.load.outputs.stats}', values).params).toEqual([false, null, { rows: 3 }]);
  });

  it('makes a parameter of a `${` inside a string literal or comment too', () => {
    expect(renderSql("select '${run.id}' -- ${run.pipeline}", values)).toMatchObject({ text: "select '$1' -- $2", params: ['run-1', 'daily'] });
  });

  it('writes an escaped `${` literally', () => {
    expect(renderSql("select '$${x}', ${run.id}", values)).toMatchObject({ text: "select '${x}', $1", params: ['run-1'] });
  });

  it('returns SQL without references unchanged', () => {
    expect(renderSql('vacuum analyze', values)).toEqual({ text: 'vacuum analyze', params: [], secrets: [] });
  });

  it('reports secrets bound as parameters', () => {
    expect(renderSql('select ${secret.TOKEN}', values).secrets).toEqual(['s3cr3t-token']);
  });
});

describe('renderValue', () => {
  it('keeps the type of a string that is exactly one reference', () => {
    expect(renderValue({ n: '${params.limit}', b: '${ params.full_refresh }', o: '${steps.load.outputs.stats}' }, values).value).toEqual({
      n: 10,
      b: false,
      o: { rows: 3 },
    });
  });

  it('renders a string with text around a reference as text', () => {
    expect(renderValue('limit ${params.limit}', values).value).toBe('limit 10');
  });

  it('renders strings deep inside objects and arrays', () => {
    expect(renderValue({ a: [{ b: 'day ${partition.key}' }, 3, true, null] }, values).value).toEqual({ a: [{ b: 'day 2026-01-02' }, 3, true, null] });
  });

  it('leaves keys and the input untouched', () => {
    const input = { '${params.limit}': '${params.limit}' };
    expect(renderValue(input, values).value).toEqual({ '${params.limit}': 10 });
    expect(input).toEqual({ '${params.limit}': '${params.limit}' });
  });

  it('collects secrets from nested strings', () => {
    expect(renderValue({ headers: { Authorization: 'Bearer ${secret.TOKEN}' } }, values).secrets).toEqual(['s3cr3t-token']);
  });

  it('renders an escaped lone `${` as text', () => {
    expect(renderValue('$${params.limit}', values).value).toBe('${params.limit}');
  });
});

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact('a=s3cr3t b=token c=s3cr3t', ['s3cr3t', 'token'])).toBe('a=*** b=*** c=***');
  });

  it('replaces the longest secret first where secrets overlap', () => {
    expect(redact('hunter22 and hunter', ['hunter', 'hunter22'])).toBe('*** and ***');
  });

  it('does not match a short secret inside the mask', () => {
    expect(redact('pass=abc', ['abc', '*'])).toBe('pass=***');
  });

  it('ignores empty secrets', () => {
    expect(redact('nothing secret', [''])).toBe('nothing secret');
  });

  it('treats regular expression characters in a secret literally', () => {
    expect(redact('k=a.b+c(d) k2=axb+c(d)', ['a.b+c(d)'])).toBe('k=*** k2=axb+c(d)');
  });

  it('redacts a secret as it appears inside a JSON string', () => {
    const secret = 'pa"ss\\word';
    expect(redact(JSON.stringify({ token: secret }), [secret])).toBe('{"token":"***"}');
  });

  it('notices a secret added to the same list later', () => {
    const secrets = ['first-secret'];
    expect(redact('first-secret second-secret', secrets)).toBe('*** second-secret');
    secrets.push('second-secret');
    expect(redact('first-secret second-secret', secrets)).toBe('*** ***');
  });
});
