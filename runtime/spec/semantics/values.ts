// Checks values whose validity the schema cannot express: cron expressions, IANA time zones, retry bounds.
import { diagnostic } from '../diagnostics.ts';
import { checkCron, checkTimeZone, dstChangeoverFire } from '../cron.ts';
import { parseDuration } from '../durations.ts';
import { placeOf, valid, type Decl } from '../model.ts';
import type { Asset, PartitionDefinition, Pipeline, Retry, Schedule } from '../generated/types.ts';
import type { CheckContext } from './context.ts';

export function checkValues(ctx: CheckContext): void {
  for (const decl of valid<Schedule>(ctx.model, 'schedules')) {
    cron(ctx, decl, decl.value.cron, ['cron']);
    zone(ctx, decl, decl.value.timezone, ['timezone']);
    changeover(ctx, decl, decl.value.cron, decl.value.timezone ?? 'UTC');
  }
  for (const decl of valid<PartitionDefinition>(ctx.model, 'partitions')) {
    if (decl.value.kind === 'time') zone(ctx, decl, decl.value.timezone, ['timezone']);
  }
  for (const decl of valid<Asset>(ctx.model, 'assets')) {
    const a = decl.value;
    if (typeof a.partitions === 'object' && a.partitions.kind === 'time') zone(ctx, decl, a.partitions.timezone, ['partitions', 'timezone']);
    if (typeof a.automation === 'object' && a.automation !== null) {
      cron(ctx, decl, a.automation.on_cron, ['automation', 'on_cron']);
      zone(ctx, decl, a.automation.timezone, ['automation', 'timezone']);
    }
    if (a.freshness) {
      cron(ctx, decl, a.freshness.cron, ['freshness', 'cron']);
      zone(ctx, decl, a.freshness.timezone, ['freshness', 'timezone']);
      const maxLag = parseDuration(a.freshness.max_lag);
      const warn = a.freshness.warn === undefined ? undefined : parseDuration(a.freshness.warn);
      if (maxLag !== undefined && warn !== undefined && warn > maxLag) {
        ctx.report(diagnostic('schema-value', { detail: '`warn` must not be longer than `max_lag`: a warning comes before the violation' }, placeOf(decl, {}, 'freshness', 'warn')));
      }
    }
    retry(ctx, decl, a.retry, ['retry']);
  }
  for (const decl of valid<Pipeline>(ctx.model, 'pipelines')) {
    retry(ctx, decl, decl.value.defaults?.retry, ['defaults', 'retry']);
    for (const [name, task] of Object.entries(decl.value.tasks ?? {})) retry(ctx, decl, task.retry, ['tasks', name, 'retry']);
  }
}

// Projects repeat a handful of cron expressions and zones thousands of times; each is checked once.
const cronProblems = new Map<string, string | undefined>();
const zoneResults = new Map<string, ReturnType<typeof checkTimeZone>>();

function cron(ctx: CheckContext, decl: Decl<unknown>, expr: string | undefined, path: (string | number)[]): void {
  if (expr === undefined) return;
  if (!cronProblems.has(expr)) cronProblems.set(expr, checkCron(expr));
  const detail = cronProblems.get(expr);
  if (detail) ctx.report(diagnostic('invalid-cron', { value: expr, detail }, placeOf(decl, {}, ...path)));
}

const changeovers = new Map<string, string | undefined>();

function changeover(ctx: CheckContext, decl: Decl<unknown>, expr: string, timezone: string): void {
  const key = `${expr}\u0000${timezone}`;
  if (!changeovers.has(key)) changeovers.set(key, dstChangeoverFire(expr, timezone));
  const example = changeovers.get(key);
  if (example) ctx.report(diagnostic('schedule-dst-ambiguous', { cron: expr, timezone, example }, placeOf(decl, {}, 'cron')));
}

function zone(ctx: CheckContext, decl: Decl<unknown>, name: string | undefined, path: (string | number)[]): void {
  if (name === undefined) return;
  let result = zoneResults.get(name);
  if (!result) zoneResults.set(name, (result = checkTimeZone(name)));
  if (!result.ok) ctx.report(diagnostic('invalid-timezone', { value: name, suggestion: result.suggestion }, placeOf(decl, {}, ...path)));
}

function retry(ctx: CheckContext, decl: Decl<unknown>, r: Retry | undefined, path: (string | number)[]): void {
  if (!r || r.initial === undefined || r.max === undefined) return;
  const initial = parseDuration(r.initial);
  const max = parseDuration(r.max);
  if (initial !== undefined && max !== undefined && initial > max) {
    ctx.report(diagnostic('schema-value', { detail: '`initial` must not be longer than `max`: the first retry delay is the shortest' }, placeOf(decl, {}, ...path, 'initial')));
  }
}
