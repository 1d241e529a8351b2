import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import type { Sql } from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { sqlStep } from '../../runtime/steps/sql.ts';
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
  await admin`create table x (id serial primary key, v text)`;
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

describe('sql steps', () => {
  test('send a `${…}` value as a bind parameter, so SQL inside it is harmless', async () => {
    const hostile = "'; drop table x; --";
    const report = await sqlStep.execute(ctx({ params: { v: hostile } }), { kind: 'sql', resource: 'db', query: 'insert into x (v) values (${params.v}) returning v' });
    expect(report.metadata).toMatchObject({ command: 'INSERT', rows_affected: 1, preview: [{ v: hostile }] });
    const rows = await admin`select v from x where v = ${hostile}`;
    expect(rows.length).toBe(1);
  });

  test('report the command, rows affected and at most 20 rows of preview', async () => {
    const report = await sqlStep.execute(ctx(), { kind: 'sql', resource: 'db', query: 'select g as n from generate_series(1, 50) g' });
    expect(report.metadata.command).toBe('SELECT');
    expect(report.metadata.rows_affected).toBe(50);
    expect(report.metadata.preview).toEqual(Array.from({ length: 20 }, (_, i) => ({ n: i + 1 })));
  });

  test('run a script of several statements when it has no expressions, reporting its last', async () => {
    const report = await sqlStep.execute(ctx(), {
      kind: 'sql',
      resource: 'db',
      query: "create table script_t (a int); insert into script_t values (1), (2); update script_t set a = a + 1; select 'done' as s",
    });
    expect(report.metadata).toEqual({ command: 'SELECT', rows_affected: 1, preview: [{ s: 'done' }] });
    expect(await admin`select a from script_t order by a`).toEqual([{ a: 2 }, { a: 3 }]);
  });

  test('explain that statements with expressions run one at a time', async () => {
    const error = await sqlStep.execute(ctx({ params: { a: 1 } }), { kind: 'sql', resource: 'db', query: 'select ${params.a}; select 2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toMatch(/multiple commands.*run one at a time/s);
    expect((error as StepError).retryable).toBe(false);
  });

  test('read `file` inside the project and refuse one outside it', async () => {
    await mkdir(path.join(root, 'sql'), { recursive: true });
    await writeFile(path.join(root, 'sql', 'count.sql'), 'select count(*)::int as n from x where v <> ${partition.key}');
    const report = await sqlStep.execute(ctx({ partition: { key: 'k' } }), { kind: 'sql', resource: 'db', file: 'sql/count.sql' });
    expect(report.metadata.preview).toEqual([{ n: 1 }]);
    const error = await sqlStep.execute(ctx(), { kind: 'sql', resource: 'db', file: '../etc/passwd' }).catch((e: unknown) => e);
    expect((error as StepError).message).toBe('SQL file `../etc/passwd` is outside the project');
  });

  test('fail with the server message and SQLSTATE, not retryable for a syntax error', async () => {
    const error = await sqlStep.execute(ctx(), { kind: 'sql', resource: 'db', query: 'selec 1' }).catch((e: unknown) => e);
    expect((error as StepError).message).toMatch(/^SQL failed at character 1: syntax error at or near "selec" \[42601\]/);
    expect((error as StepError).retryable).toBe(false);
  });

  test('fail retryably when the database cannot be reached', async () => {
    t = testContext({ projectRoot: root, resources: { db: { kind: 'postgres', url: 'postgres://u:p@127.0.0.1:1/none' } } });
    const error = await sqlStep.execute(t.ctx, { kind: 'sql', resource: 'db', query: 'select 1' }).catch((e: unknown) => e);
    expect((error as StepError).message).toMatch(/^the database could not be reached/);
    expect((error as StepError).retryable).toBe(true);
  });
});
