// `sql` steps: the user's SQL on a `postgres` resource, every `${…}` a bind parameter.
import { readFile } from 'node:fs/promises';
import type { Sql } from 'postgres';
import type { SqlStep } from '../spec/generated/types.ts';
import { renderSql } from '../spec/expressions.ts';
import { defineExecutor } from './guard-step.ts';
import { jsonSafe } from './json-safe.ts';
import { resolveInProject } from './project-path.ts';
import { sqlFailure } from './sql-failure.ts';
import { StepError, cancellation } from './step-context.ts';
import type { StepContext } from './step-context.ts';

/** Rows of a result kept in metadata as a preview. */
export const PREVIEW_ROWS = 20;

export const sqlStep = defineExecutor<SqlStep>('sql', async (ctx, spec) => {
  const source = await sqlText(ctx, spec);
  const { text, params } = renderSql(source, ctx.values);
  const results = await runSql(ctx, ctx.sql(spec.resource), text, params);
  // For a script, what its last statement did: the driver does not hand back every statement's
  // result of a simple-protocol script, so a total would be wrong.
  const last = results[results.length - 1];
  const metadata: Record<string, unknown> = { command: last?.command ?? null, rows_affected: last?.count ?? 0 };
  if (last && last.rows.length > 0) metadata.preview = jsonSafe(last.rows.slice(0, PREVIEW_ROWS));
  return { metadata, outputs: {} };
});

/** The SQL of a step or check: `query`, or the text of `file` inside the project. */
export async function sqlText(ctx: StepContext, spec: { query?: string; file?: string }): Promise<string> {
  if (spec.query !== undefined && spec.file === undefined) return spec.query;
  if (spec.file !== undefined && spec.query === undefined) {
    const file = resolveInProject(ctx.projectRoot, spec.file, 'SQL file');
    return readFile(file, 'utf8').catch((error: unknown) => {
      throw new StepError(`SQL file \`${spec.file}\` cannot be read: ${(error as Error).message}`, { retryable: false });
    });
  }
  throw new StepError('SQL needs exactly one of `query` and `file`', { retryable: false });
}

interface StatementResult {
  command: string | null;
  count: number | null;
  rows: Record<string, unknown>[];
}

/**
 * Runs `text` with `params` bound, cancelling the query on the server when the step is stopped.
 *
 * `sql.unsafe` is the only unsafe use in the step kinds, and it is sound here: the text is the user's
 * own SQL with `$n` placeholders where expressions were, and every value travels as a parameter.
 * With parameters the extended protocol is used, which allows one statement per query; without any,
 * the simple protocol runs the text as a script, several statements included.
 */
export async function runSql(ctx: StepContext, sql: Sql, text: string, params: unknown[]): Promise<StatementResult[]> {
  const query = sql.unsafe(text, params.map(toParameter) as never[], { prepare: false });
  const onAbort = (): void => query.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  ctx.heartbeat();
  try {
    const result: unknown = await query;
    return statements(result);
  } catch (error) {
    if (ctx.signal.aborted) throw cancellation(ctx.signal);
    throw sqlFailure(error);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** A simple-protocol script yields one result per statement; anything else yields one. */
function statements(result: unknown): StatementResult[] {
  const list = Array.isArray(result) && result.length > 0 && result.every((r) => Array.isArray(r) && 'command' in r) ? result : [result];
  return list.map((r) => {
    const rows = r as Record<string, unknown>[] & { command?: string; count?: number };
    return { command: rows.command ?? null, count: typeof rows.count === 'number' ? rows.count : null, rows: Array.from(rows) };
  });
}

// Objects are sent as JSON text (PostgreSQL casts it where the column is json/jsonb); scalars and
// arrays go as they are.
function toParameter(value: unknown): unknown {
  if (value === null || Array.isArray(value) || typeof value !== 'object' || value instanceof Date) return value;
  return JSON.stringify(value);
}
