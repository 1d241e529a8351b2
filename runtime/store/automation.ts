// Automation state: what the evaluator reads (materializations, check results, runs in flight) and what a
// tick writes (the evaluation trail behind `weir why`, freshness violations).
import type { AutomationState, CheckFact, Decision } from '../engine/automation.ts';
import { partKey } from '../engine/automation.ts';
import type { FreshnessStatus } from '../engine/freshness.ts';
import type { Plan } from '../spec/plan.ts';
import { json, type Queryable } from './db.ts';
import { listDynamicKeys } from './partitions.ts';
import type { RunTrigger } from './runs.ts';

/** Reads the state of the plan's assets; only the latest row per asset partition (and per check) is loaded. */
export async function loadAutomationState(sql: Queryable, plan: Plan): Promise<AutomationState> {
  const assets = Object.keys(plan.assets);
  const state: AutomationState = { materializations: {}, latestByAsset: {}, checks: {}, inFlight: {}, dynamicKeys: {} };
  if (assets.length === 0) return state;
  // asset_partitions holds each partition's latest materialization: one join, no scan of history.
  const mats = await sql<{ asset: string; partition: string; createdAt: Date; fingerprint: string | null }[]>`
    select m.asset, m.partition, m.created_at, m.fingerprint
    from asset_partitions p join materializations m on m.id = p.last_materialization_id
    where p.asset = any(${sql.array(assets)}::text[])`;
  for (const m of mats) {
    const fact = { at: m.createdAt, fingerprint: m.fingerprint };
    state.materializations[partKey(m.asset, m.partition)] = fact;
    const prev = state.latestByAsset[m.asset];
    if (!prev || prev.at < fact.at) state.latestByAsset[m.asset] = { ...fact, partition: m.partition };
  }
  const checks = await sql<{ asset: string; partition: string; checkName: string; severity: CheckFact['severity']; passed: boolean }[]>`
    select distinct on (asset, partition, check_name) asset, partition, check_name, severity, passed
    from check_results where asset = any(${sql.array(assets)}::text[])
    order by asset, partition, check_name, id desc`;
  for (const c of checks) (state.checks[partKey(c.asset, c.partition)] ??= []).push({ name: c.checkName, severity: c.severity, passed: c.passed });
  const runs = await sql<{ id: string; pipeline: string; partition: string | null; trigger: RunTrigger }[]>`
    select id, pipeline, partition, trigger from runs where project = ${plan.project} and status in ('queued', 'running')`;
  for (const r of runs) {
    // Automation runs name their one asset; any other run may produce every asset of its pipeline.
    const produced = typeof r.trigger.asset === 'string' ? [r.trigger.asset] : Object.keys(plan.pipelines[r.pipeline]?.nodes ?? {});
    for (const a of produced) state.inFlight[partKey(a, r.partition ?? '')] = r.id;
  }
  for (const [name, def] of Object.entries(plan.partitions)) if (def.kind === 'dynamic') state.dynamicKeys![name] = await listDynamicKeys(sql, name);
  return state;
}

export interface EvaluationRow {
  id: number;
  project: string;
  asset: string;
  partition: string;
  evaluatedAt: Date;
  action: 'run' | 'skip';
  reasons: string[];
  runId: string | null;
}

/**
 * Records a decision. Bounded: an unchanged decision that starts nothing only refreshes evaluated_at of the
 * latest row of its asset partition; a changed one, or one starting a run, adds a row.
 */
export async function recordEvaluation(sql: Queryable, project: string, d: Decision, runId: string | null, at: Date): Promise<void> {
  const reasons = JSON.stringify(d.reasons);
  const [touched] = await sql`
    update automation_evaluations e set evaluated_at = ${at}
    where e.id = (select id from automation_evaluations
                  where project = ${project} and asset = ${d.asset} and partition = ${d.partition}
                  order by id desc limit 1)
      and e.action = ${d.action} and e.reasons = ${reasons}::jsonb
      and e.run_id is not distinct from ${runId}
    returning id`;
  if (touched) return;
  await sql`
    insert into automation_evaluations (project, asset, partition, evaluated_at, action, reasons, run_id)
    values (${project}, ${d.asset}, ${d.partition}, ${at}, ${d.action}, ${json(sql, d.reasons)}, ${runId})
    on conflict (run_id) where run_id is not null do nothing`;
}

/** The evaluation trail of an asset (optionally one partition), latest first. */
export async function evaluationTrail(sql: Queryable, project: string, asset: string, options: { partition?: string; limit?: number } = {}): Promise<EvaluationRow[]> {
  return sql<EvaluationRow[]>`
    select * from automation_evaluations
    where project = ${project} and asset = ${asset}
      ${options.partition !== undefined ? sql`and partition = ${options.partition}` : sql``}
    order by evaluated_at desc, id desc
    limit ${Math.min(Math.max(options.limit ?? 20, 1), 1000)}`;
}

export interface FreshnessViolationRow {
  id: number;
  project: string;
  asset: string;
  partition: string;
  level: 'warn' | 'error';
  lagMs: number | null;
  detail: string;
  detectedAt: Date;
  resolvedAt: Date | null;
}

/** Opens a violation per level exceeded (once until fresh again) and resolves the levels no longer exceeded. */
export async function recordFreshness(sql: Queryable, project: string, s: FreshnessStatus, at: Date): Promise<boolean> {
  // One level at a time: an error supersedes the warning it grew out of.
  const open: string[] = s.level ? [s.level] : [];
  await sql`
    update freshness_violations set resolved_at = ${at}
    where project = ${project} and asset = ${s.asset} and partition = ${s.partition} and resolved_at is null
      and not (level = any(${sql.array(open)}::text[]))`;
  let created = false;
  for (const level of open) {
    const rows = await sql`
      insert into freshness_violations (project, asset, partition, level, lag_ms, detail, detected_at)
      values (${project}, ${s.asset}, ${s.partition}, ${level}, ${s.lagMs}, ${s.detail}, ${at})
      on conflict (project, asset, partition, level) where resolved_at is null do nothing
      returning id`;
    created ||= rows.length > 0;
  }
  return created;
}

export async function freshnessViolations(sql: Queryable, project: string, options: { asset?: string; open?: boolean } = {}): Promise<FreshnessViolationRow[]> {
  return sql<FreshnessViolationRow[]>`
    select * from freshness_violations
    where project = ${project}
      ${options.asset !== undefined ? sql`and asset = ${options.asset}` : sql``}
      ${options.open ? sql`and resolved_at is null` : sql``}
    order by detected_at desc, id desc
    limit 500`;
}
