import postgres from 'postgres';
import type { Sql } from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { executeCheck } from '../../runtime/steps/checks.ts';
import { StepError } from '../../runtime/steps/step-context.ts';
import type { Values } from '../../runtime/spec/expressions.ts';
import { tempProject, testContext } from './context.ts';
import type { TestContext } from './context.ts';
import { startPostgres } from './pg.ts';
import type { TestPostgres } from './pg.ts';

let pg: TestPostgres;
let admin: Sql;
let root: string;
let t: TestContext | undefined;

beforeAll(async () => {
  [pg, root] = await Promise.all([startPostgres(), tempProject()]);
  admin = postgres(pg.url, { onnotice: () => {} });
  await admin`create schema sales`;
  await admin`create table sales."Orders" (id int, day text, "Customer Id" int)`;
  await admin`insert into sales."Orders" values (1, 'a', 10), (2, 'a', null), (2, 'b', 11), (3, 'b', 12), (3, 'b', 13), (3, 'b', 14)`;
}, 60_000);
afterAll(async () => {
  await admin?.end();
  await pg?.stop();
});
afterEach(() => t?.close());

function ctx(values: Values = {}) {
  t = testContext({ projectRoot: root, values, resources: { db: { kind: 'postgres', url: pg.url } } });
  return t.ctx;
}
const base = { resource: 'db', table: 'sales.Orders' } as const;

describe('checks', () => {
  test('row_count passes within bounds, with `where` values bound as parameters', async () => {
    const result = await executeCheck(ctx({ partition: { key: 'b' } }), { kind: 'row_count', name: 'rc', ...base, where: 'day = ${partition.key}', min: 4, max: 4 });
    expect(result).toEqual({ passed: true, metadata: { row_count: 4, min: 4, max: 4 } });
  });

  test('row_count fails outside its bounds and on an empty selection by default', async () => {
    expect((await executeCheck(ctx(), { kind: 'row_count', name: 'rc', ...base, max: 5 })).passed).toBe(false);
    const hostile = await executeCheck(ctx({ params: { d: "b' or '1'='1" } }), { kind: 'row_count', name: 'rc', ...base, where: 'day = ${params.d}' });
    expect(hostile).toEqual({ passed: false, metadata: { row_count: 0, min: 1 } });
  });

  test('not_null reports the NULL count of each column', async () => {
    const result = await executeCheck(ctx(), { kind: 'not_null', name: 'nn', ...base, columns: ['id', 'Customer Id'] });
    expect(result).toEqual({ passed: false, metadata: { rows: 6, null_counts: { id: 0, 'Customer Id': 1 } } });
    const ok = await executeCheck(ctx(), { kind: 'not_null', name: 'nn', ...base, columns: ['Customer Id'], where: "day = 'b'" });
    expect(ok.passed).toBe(true);
  });

  test('unique reports duplicate groups and rows', async () => {
    const result = await executeCheck(ctx(), { kind: 'unique', name: 'u', ...base, columns: ['id'] });
    expect(result).toEqual({ passed: false, metadata: { duplicate_groups: 2, duplicate_rows: 5 } });
    expect((await executeCheck(ctx(), { kind: 'unique', name: 'u', ...base, columns: ['id', 'day'], where: "day = 'a'" })).passed).toBe(true);
  });

  test('sql reads `passed` and keeps the other columns as metadata', async () => {
    const result = await executeCheck(ctx({ params: { n: 3 } }), {
      kind: 'sql',
      name: 's',
      resource: 'db',
      query: 'select max(id) <= ${params.n}::int as passed, max(id) as max_id, count(*) as n from sales."Orders"',
    });
    expect(result).toEqual({ passed: true, metadata: { max_id: 3, n: '6' } });
  });

  test('sql without a boolean `passed` column cannot be evaluated', async () => {
    const error = await executeCheck(ctx(), { kind: 'sql', name: 's', resource: 'db', query: 'select 1 as ok' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toBe('check `s`: the query must return one row with a boolean column `passed`');
  });

  test('command passes on exit 0 and fails otherwise, with its output as metadata', async () => {
    const ok = await executeCheck(ctx(), { kind: 'command', name: 'c', shell: `echo '{"metadata":{"files":2}}' >> "$WEIR_OUTPUT"` });
    expect(ok).toEqual({ passed: true, metadata: { files: 2, exit_code: 0 } });
    const failed = await executeCheck(ctx(), { kind: 'command', name: 'c', run: ['sh', '-c', 'echo "2 files missing" >&2; exit 1'] });
    expect(failed).toEqual({ passed: false, metadata: { exit_code: 1, stderr_tail: '2 files missing' } });
  });

  test('a missing table is an evaluation error, not a failed check', async () => {
    const error = await executeCheck(ctx(), { kind: 'row_count', name: 'rc', resource: 'db', table: 'nope' }).catch((e: unknown) => e);
    expect((error as StepError).message).toMatch(/relation "nope" does not exist \[42P01\]/);
  });
});
