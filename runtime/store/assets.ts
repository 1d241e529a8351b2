// Asset state: materialization and check history, and the latest status of every asset partition.
// Unpartitioned assets use the partition '' so (asset, partition) is always a usable key.
import { json, type Queryable, type Sql } from './db.ts';

export interface MaterializationRow {
  id: number;
  asset: string;
  partition: string;
  runId: string;
  stepAttempt: number | null;
  metadata: Record<string, unknown>;
  fingerprint: string | null;
  createdAt: Date;
}

export interface CheckResultRow {
  id: number;
  asset: string;
  partition: string;
  runId: string;
  checkName: string;
  passed: boolean;
  severity: 'error' | 'warn';
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export type PartitionState = 'materialized' | 'failed';

export interface AssetPartitionRow {
  asset: string;
  partition: string;
  status: PartitionState;
  lastRunId: string;
  lastMaterializationId: number | null;
  updatedAt: Date;
}

export interface NewMaterialization {
  asset: string;
  partition?: string | null;
  runId: string;
  stepAttempt?: number | null;
  metadata?: Record<string, unknown>;
  fingerprint?: string | null;
}

/**
 * Records a materialization and, in the same transaction, makes it the partition's latest state.
 * A replay returns the original row and leaves the partition state alone (a newer run may own it).
 */
export async function recordMaterialization(
  sql: Queryable,
  input: NewMaterialization,
): Promise<{ materialization: MaterializationRow; created: boolean }> {
  const partition = input.partition ?? '';
  // One statement (data-modifying CTEs are atomic): a step's success costs one round trip here.
  const [inserted] = await sql<MaterializationRow[]>`
    with inserted as (
      insert into materializations (asset, partition, run_id, step_attempt, metadata, fingerprint)
      values (${input.asset}, ${partition}, ${input.runId}, ${input.stepAttempt ?? null},
              ${json(sql, input.metadata ?? {})}, ${input.fingerprint ?? null})
      on conflict (run_id, asset, partition) do nothing
      returning *
    ), latest as (
      insert into asset_partitions as p (asset, partition, status, last_run_id, last_materialization_id)
      select asset, partition, 'materialized', run_id, id from inserted
      on conflict (asset, partition) do update set
        status = excluded.status,
        last_run_id = excluded.last_run_id,
        last_materialization_id = excluded.last_materialization_id,
        updated_at = now()
    )
    select * from inserted`;
  if (inserted) return { materialization: inserted, created: true };
  const [existing] = await sql<MaterializationRow[]>`
    select * from materializations
    where run_id = ${input.runId} and asset = ${input.asset} and partition = ${partition}`;
  if (!existing) throw new Error(`materialization of ${input.asset} in run ${input.runId} vanished`);
  return { materialization: existing, created: false };
}

/** Marks a partition failed by a run, keeping its last good materialization for reference. */
export async function recordPartitionFailure(
  sql: Queryable,
  input: { asset: string; partition?: string | null; runId: string },
): Promise<void> {
  await sql`
    insert into asset_partitions as p (asset, partition, status, last_run_id)
    values (${input.asset}, ${input.partition ?? ''}, 'failed', ${input.runId})
    on conflict (asset, partition) do update set
      status = 'failed', last_run_id = excluded.last_run_id, updated_at = now()
    -- A replayed failure of the run that just materialized this partition must not undo it.
    where not (p.status = 'materialized' and p.last_run_id = excluded.last_run_id)`;
}

export interface NewCheckResult {
  asset: string;
  partition?: string | null;
  runId: string;
  checkName: string;
  passed: boolean;
  severity: 'error' | 'warn';
  metadata?: Record<string, unknown>;
}

/** Records a check result once per run, asset partition and check. */
export async function recordCheckResult(
  sql: Queryable,
  input: NewCheckResult,
): Promise<{ result: CheckResultRow; created: boolean }> {
  const partition = input.partition ?? '';
  const [inserted] = await sql<CheckResultRow[]>`
    insert into check_results (asset, partition, run_id, check_name, passed, severity, metadata)
    values (${input.asset}, ${partition}, ${input.runId}, ${input.checkName}, ${input.passed},
            ${input.severity}, ${json(sql, input.metadata ?? {})})
    on conflict (run_id, asset, partition, check_name) do nothing
    returning *`;
  if (inserted) return { result: inserted, created: true };
  const [existing] = await sql<CheckResultRow[]>`
    select * from check_results
    where run_id = ${input.runId} and asset = ${input.asset} and partition = ${partition}
      and check_name = ${input.checkName}`;
  if (!existing) throw new Error(`check ${input.checkName} of ${input.asset} in run ${input.runId} vanished`);
  return { result: existing, created: false };
}

/** The newest materialization of each asset (any partition); assets never materialized are absent. */
export async function latestMaterializations(sql: Queryable, assets: readonly string[]): Promise<MaterializationRow[]> {
  if (assets.length === 0) return [];
  // One index probe per asset instead of a scan over all history.
  return sql<MaterializationRow[]>`
    select m.* from unnest(${sql.array([...assets])}::text[]) as a(name)
    cross join lateral (
      select * from materializations where asset = a.name order by id desc limit 1
    ) m
    order by m.asset`;
}

/** An asset's materializations, newest first, optionally for one partition; page with `beforeId`. */
export async function materializationHistory(
  sql: Queryable,
  asset: string,
  options: { partition?: string; beforeId?: number; limit?: number } = {},
): Promise<MaterializationRow[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  return sql<MaterializationRow[]>`
    select * from materializations
    where asset = ${asset}
      ${options.partition !== undefined ? sql`and partition = ${options.partition}` : sql``}
      ${options.beforeId !== undefined ? sql`and id < ${options.beforeId}` : sql``}
    order by id desc
    limit ${limit}`;
}

/** The latest state of every partition of an asset that has one, by partition key. */
export async function partitionStatus(sql: Queryable, asset: string): Promise<AssetPartitionRow[]> {
  return sql<AssetPartitionRow[]>`
    select * from asset_partitions where asset = ${asset} order by partition`;
}
