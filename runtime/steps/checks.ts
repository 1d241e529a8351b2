// Asset checks: one short evaluation per check kind, `passed` plus metadata saying what was seen.
import type { Sql } from 'postgres';
import type { Check, CommandCheck, NotNullCheck, RowCountCheck, SqlCheck, UniqueCheck } from '../spec/generated/types.ts';
import { renderSql } from '../spec/expressions.ts';
import { runCommand } from './command.ts';
import { guardStep } from './guard-step.ts';
import { jsonSafe } from './json-safe.ts';
import { sqlFailure } from './sql-failure.ts';
import { sqlFragment } from './sql-template.ts';
import { runSql, sqlText } from './sql.ts';
import { StepError, cancellation } from './step-context.ts';
import type { StepContext } from './step-context.ts';

export interface CheckResult {
  passed: boolean;
  metadata: Record<string, unknown>;
}

/** Evaluates a check. A check that cannot be evaluated (bad SQL, missing table) throws a StepError; a check that fails does not. */
export function executeCheck(ctx: StepContext, check: Check): Promise<CheckResult> {
  return guardStep(ctx, () => {
    switch (check.kind) {
      case 'sql':
        return sqlCheck(ctx, check);
      case 'command':
        return commandCheck(ctx, check);
      case 'row_count':
        return rowCountCheck(ctx, check);
      case 'not_null':
        return notNullCheck(ctx, check);
      case 'unique':
        return uniqueCheck(ctx, check);
      default:
        return check satisfies never;
    }
  });
}

async function sqlCheck(ctx: StepContext, check: SqlCheck): Promise<CheckResult> {
  const { text, params } = renderSql(await sqlText(ctx, check), ctx.values);
  const results = await runSql(ctx, ctx.sql(check.resource), text, params);
  const row = results[results.length - 1]?.rows[0];
  if (!row || typeof row.passed !== 'boolean') {
    throw new StepError(`check \`${check.name}\`: the query must return one row with a boolean column \`passed\``, { retryable: false });
  }
  const { passed, ...rest } = row;
  return { passed, metadata: jsonSafe(rest) as Record<string, unknown> };
}

async function commandCheck(ctx: StepContext, check: CommandCheck): Promise<CheckResult> {
  const result = await runCommand(ctx, check);
  const metadata: Record<string, unknown> = { ...result.report.metadata, exit_code: result.exitCode };
  if (result.exitCode !== 0 && result.stderrTail.length > 0) metadata.stderr_tail = result.stderrTail.join('\n');
  return { passed: result.exitCode === 0, metadata };
}

async function rowCountCheck(ctx: StepContext, check: RowCountCheck): Promise<CheckResult> {
  const sql = ctx.sql(check.resource);
  const row = await one(ctx, sql`select count(*)::bigint as n from ${sql(check.table)} ${whereOf(ctx, sql, check.where)}`);
  const rows = Number(row.n);
  // Neither bound given: the table must simply not be empty.
  const min = check.min ?? (check.max === undefined ? 1 : undefined);
  const passed = (min === undefined || rows >= min) && (check.max === undefined || rows <= check.max);
  const metadata: Record<string, unknown> = { row_count: rows };
  if (min !== undefined) metadata.min = min;
  if (check.max !== undefined) metadata.max = check.max;
  return { passed, metadata };
}

async function notNullCheck(ctx: StepContext, check: NotNullCheck): Promise<CheckResult> {
  const sql = ctx.sql(check.resource);
  // Aliases are positional (`c0`, `c1`, …) so any column name survives the round trip.
  const counts = check.columns.map((column, i) => sql`, count(*) filter (where ${sql(column)} is null)::bigint as ${sql(`c${i}`)}`);
  const row = await one(ctx, sql`select count(*)::bigint as total ${counts} from ${sql(check.table)} ${whereOf(ctx, sql, check.where)}`);
  const nulls: Record<string, number> = {};
  check.columns.forEach((column, i) => (nulls[column] = Number(row[`c${i}`])));
  return { passed: Object.values(nulls).every((n) => n === 0), metadata: { rows: Number(row.total), null_counts: nulls } };
}

async function uniqueCheck(ctx: StepContext, check: UniqueCheck): Promise<CheckResult> {
  const sql = ctx.sql(check.resource);
  // NULLs group together here, so two rows with NULL in the columns count as duplicates.
  const row = await one(
    ctx,
    sql`select count(*)::bigint as groups, coalesce(sum(n), 0)::bigint as rows from (
          select count(*) as n from ${sql(check.table)} ${whereOf(ctx, sql, check.where)}
          group by ${sql(check.columns)} having count(*) > 1) duplicates`,
  );
  const groups = Number(row.groups);
  return { passed: groups === 0, metadata: { duplicate_groups: groups, duplicate_rows: Number(row.rows) } };
}

/** `where <condition>`: the condition is trusted spec text (see `sqlFragment`); its `${…}` are parameters. */
function whereOf(ctx: StepContext, sql: Sql, where: string | undefined): ReturnType<Sql> {
  return where === undefined ? sql`` : sql`where ${sqlFragment(sql, where, ctx.values)}`;
}

async function one(ctx: StepContext, query: ReturnType<Sql>): Promise<Record<string, unknown>> {
  const onAbort = (): void => query.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const rows = await query;
    return (rows[0] ?? {}) as Record<string, unknown>;
  } catch (error) {
    if (ctx.signal.aborted) throw cancellation(ctx.signal);
    throw sqlFailure(error);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
