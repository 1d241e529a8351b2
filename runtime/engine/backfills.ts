// Backfills: choosing the partitions (reprocess missing|failed|all), starting the durable backfill
// workflow, signalling it, and the activities it calls to create its child runs and record progress.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { keys, parseKey } from '../spec/partitions.ts';
import type { Plan, PlanPipeline } from '../spec/plan.ts';
import {
  createBackfill,
  finishBackfill,
  getBackfill,
  listBackfillPartitions,
  setBackfillPaused,
  setPartitionStatus,
  type BackfillRow,
  type Reprocess,
} from '../store/backfills.ts';
import type { Sql } from '../store/db.ts';
import { listDynamicKeys } from '../store/partitions.ts';
import { finishRun } from '../store/runs.ts';
import type { BackfillActivities, BackfillInput } from './backfill-types.ts';
import { backfillRunId, backfillWorkflowId } from './backfill-types.ts';
import { buildRunInput, RunRequestError } from './run-request.ts';
import { prepareRun, type RunsClient } from './runs-client.ts';

export interface BackfillPlanRequest {
  pipeline: string;
  from?: string | null;
  to?: string | null;
  /** Explicit keys instead of a range. */
  partitions?: readonly string[] | null;
  reprocess: Reprocess;
}

export interface BackfillRequest extends BackfillPlanRequest {
  parallel: number;
  /** Partitions per child run; only 1 is supported. */
  batch?: number;
  params?: Record<string, unknown>;
  /** Children per workflow execution before it continues as new (tests lower it to exercise that path). */
  continueAsNewEvery?: number;
  now?: Date;
}

/** Backfill ids sort by creation time and are safe in run ids, paths and Temporal ids. */
export function newBackfillId(now = Date.now()): string {
  return `bf${now.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
}

/** The partition keys a backfill covers, in order, after the `reprocess` choice. */
export async function planBackfill(sql: Sql, plan: Plan, request: BackfillPlanRequest & { now?: Date }): Promise<string[]> {
  const pipeline = requirePipeline(plan, request.pipeline);
  const candidates = await candidateKeys(sql, pipeline, request, request.now ?? new Date());
  switch (request.reprocess) {
    case 'all':
      return candidates;
    case 'missing': {
      const done = await partitionsWhere(sql, plan, request.pipeline, candidates, 'materialized');
      return candidates.filter((k) => !done.has(k));
    }
    case 'failed': {
      const failed = await partitionsWhere(sql, plan, request.pipeline, candidates, 'failed');
      return candidates.filter((k) => failed.has(k));
    }
    default: {
      const unknown: never = request.reprocess;
      throw new RunRequestError('reprocess', `--reprocess must be missing, failed or all, got ${JSON.stringify(unknown)}`);
    }
  }
}

function requirePipeline(plan: Plan, name: string): PlanPipeline {
  const pipeline = Object.hasOwn(plan.pipelines, name) ? plan.pipelines[name] : undefined;
  if (!pipeline) throw new RunRequestError('pipeline', `unknown pipeline \`${name}\``);
  if (!pipeline.partitions) throw new RunRequestError('pipeline', `pipeline \`${name}\` is not partitioned: there is nothing to backfill (use \`weir run\`)`);
  return pipeline;
}

async function candidateKeys(sql: Sql, pipeline: PlanPipeline, request: BackfillPlanRequest, now: Date): Promise<string[]> {
  const def = pipeline.partitions!;
  if (request.partitions && request.partitions.length > 0) {
    if (request.from || request.to) throw new RunRequestError('partitions', 'give either a list of partitions or --from/--to, not both');
    for (const key of request.partitions) {
      const checked = parseKey(def, key);
      if (!checked.ok) throw new RunRequestError('partitions', `\`${key}\` is not a valid partition key: ${checked.detail}`);
    }
    return [...new Set(request.partitions)];
  }
  const dynamicKeys = def.kind === 'dynamic' && pipeline.partitionsName ? await listDynamicKeys(sql, pipeline.partitionsName) : undefined;
  try {
    return keys(def, { now, ...(request.from ? { from: request.from } : {}), ...(request.to ? { to: request.to } : {}), ...(dynamicKeys ? { dynamicKeys } : {}) });
  } catch (err) {
    throw new RunRequestError('from', err instanceof Error ? err.message : String(err));
  }
}

/**
 * Candidates whose state is `state`: for asset pipelines from `asset_partitions` (materialized =
 * every asset of the pipeline materialized; failed = any asset failed); for task pipelines from the
 * latest run of the pipeline for that partition.
 */
async function partitionsWhere(sql: Sql, plan: Plan, pipelineName: string, candidates: string[], state: 'materialized' | 'failed'): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const pipeline = plan.pipelines[pipelineName]!;
  const assets = pipeline.order.filter((n) => pipeline.nodes[n]?.kind === 'asset');
  if (assets.length === 0) {
    const rows = await sql<{ partition: string; status: string }[]>`
      select distinct on (partition) partition, status from runs
      where pipeline = ${pipelineName} and partition = any(${sql.array(candidates)}::text[])
        and status in ('succeeded', 'failed')
      order by partition, created_at desc`;
    const want = state === 'materialized' ? 'succeeded' : 'failed';
    return new Set(rows.filter((r) => r.status === want).map((r) => r.partition));
  }
  const rows =
    state === 'materialized'
      ? await sql<{ partition: string }[]>`
          select partition from asset_partitions
          where asset = any(${sql.array(assets)}::text[]) and partition = any(${sql.array(candidates)}::text[]) and status = 'materialized'
          group by partition having count(*) = ${assets.length}`
      : await sql<{ partition: string }[]>`
          select distinct partition from asset_partitions
          where asset = any(${sql.array(assets)}::text[]) and partition = any(${sql.array(candidates)}::text[]) and status = 'failed'`;
  return new Set(rows.map((r) => r.partition));
}

/** Records the backfill and its partitions, then starts its workflow; returns the backfill id. */
export async function startBackfill(rc: RunsClient, plan: Plan, request: BackfillRequest, opts: { id?: string; by?: string } = {}): Promise<string> {
  if (!Number.isInteger(request.parallel) || request.parallel < 1) throw new RunRequestError('parallel', '--parallel must be a whole number of at least 1');
  if (request.batch !== undefined && request.batch !== 1) {
    throw new RunRequestError('batch', '--batch is not supported yet: a run targets one partition, so each partition gets its own run');
  }
  const partitions = await planBackfill(rc.sql, plan, request);
  const params = request.params ?? {};
  // Fails now, in the user's words, rather than once per child run.
  if (partitions.length > 0) buildRunInput(plan, { pipeline: request.pipeline, partition: partitions[0]!, params }, { runId: 'check' });
  const id = opts.id ?? newBackfillId();
  const recorded = { from: request.from ?? null, to: request.to ?? null, partitions: request.partitions ?? null, params, by: opts.by ?? null, planHash: plan.hash };
  await createBackfill(rc.sql, { id, project: plan.project, pipeline: request.pipeline, reprocess: request.reprocess, parallel: request.parallel, request: recorded, partitions });
  const input: BackfillInput = {
    backfillId: id,
    project: plan.project,
    pipeline: request.pipeline,
    partitions,
    parallel: request.parallel,
    params,
    ...(request.continueAsNewEvery ? { continueAsNewEvery: request.continueAsNewEvery } : {}),
  };
  await rc.client.workflow.start('backfill', {
    workflowId: backfillWorkflowId(id),
    taskQueue: rc.taskQueue,
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
  return id;
}

/** A new backfill over the partitions of `backfillId` that failed, with the same pipeline, params and parallelism. */
export async function retryFailedPartitions(rc: RunsClient, plan: Plan, backfillId: string, opts: { parallel?: number; by?: string } = {}): Promise<string> {
  const original = await requireBackfill(rc.sql, backfillId);
  if (original.status === 'running' || original.status === 'paused') throw new RunRequestError('backfill', `backfill ${backfillId} is still ${original.status}`);
  const failed = (await listBackfillPartitions(rc.sql, backfillId, 'failed')).map((p) => p.partition);
  if (failed.length === 0) throw new RunRequestError('backfill', `backfill ${backfillId} has no failed partitions`);
  const params = (original.request.params as Record<string, unknown> | undefined) ?? {};
  return startBackfill(rc, plan, { pipeline: original.pipeline, partitions: failed, reprocess: 'all', parallel: opts.parallel ?? original.parallel, params }, { by: opts.by ?? `retry of ${backfillId}` });
}

export async function pauseBackfill(rc: RunsClient, backfillId: string): Promise<void> {
  await requireActive(rc.sql, backfillId);
  await rc.client.workflow.getHandle(backfillWorkflowId(backfillId)).signal('pause');
}

export async function resumeBackfill(rc: RunsClient, backfillId: string): Promise<void> {
  await requireActive(rc.sql, backfillId);
  await rc.client.workflow.getHandle(backfillWorkflowId(backfillId)).signal('resume');
}

/** Cancels the backfill: no new runs start, running ones are cancelled, unstarted partitions become cancelled. */
export async function cancelBackfill(rc: RunsClient, backfillId: string): Promise<void> {
  await requireActive(rc.sql, backfillId);
  await rc.client.workflow.getHandle(backfillWorkflowId(backfillId)).cancel();
}

async function requireBackfill(sql: Sql, id: string): Promise<BackfillRow> {
  const row = await getBackfill(sql, id);
  if (!row) throw new RunRequestError('backfill', `no backfill ${id}`);
  return row;
}

async function requireActive(sql: Sql, id: string): Promise<BackfillRow> {
  const row = await requireBackfill(sql, id);
  if (row.status !== 'running' && row.status !== 'paused') throw new RunRequestError('backfill', `backfill ${id} has already ${row.status}`);
  return row;
}

export interface BackfillActivityDeps {
  sql: Sql;
}

/** The backfill workflow's activities; merge them into the worker's activities beside the run ones. */
export function createBackfillActivities(deps: BackfillActivityDeps): BackfillActivities {
  const { sql } = deps;
  const plans = new Map<number, Plan>();
  // The current deployment's plan, read once per spec version rather than once per child run.
  const deployedPlan = async (project: string): Promise<Plan> => {
    const [current] = await sql<{ versionId: number }[]>`
      select version_id from deployments where project = ${project} order by id desc limit 1`;
    if (!current) throw ApplicationFailure.nonRetryable(`project ${project} has no deployment`, 'BackfillRunError');
    let plan = plans.get(current.versionId);
    if (!plan) {
      const [version] = await sql<{ plan: Plan }[]>`select plan from spec_versions where id = ${current.versionId}`;
      plan = version!.plan;
      plans.set(current.versionId, plan);
    }
    return plan;
  };
  return {
    async prepareBackfillRun(input) {
      const plan = await deployedPlan(input.project);
      const runId = backfillRunId(input.backfillId, input.index);
      let child;
      try {
        child = await prepareRun(sql, plan, { pipeline: input.pipeline, partition: input.partition, params: input.params }, { kind: 'backfill', by: input.backfillId }, { runId });
      } catch (err) {
        // The plan changed under the backfill (pipeline removed, param renamed): this partition fails, no retry helps.
        if (err instanceof RunRequestError) throw ApplicationFailure.nonRetryable(err.message, 'BackfillRunError');
        throw err;
      }
      await setPartitionStatus(sql, { backfillId: input.backfillId, partition: input.partition, status: 'running', runId });
      return child;
    },

    async recordBackfillPartition(input) {
      // A child that never got to record its own end (cancelled before it started) is closed here.
      if (input.status !== 'succeeded') await finishRun(sql, input.runId, input.status, input.status === 'failed' ? 'backfill run failed' : null);
      await setPartitionStatus(sql, { backfillId: input.backfillId, partition: input.partition, status: input.status });
    },

    async recordBackfillPaused(input) {
      await setBackfillPaused(sql, input.backfillId, input.paused);
    },

    async finishBackfill(input) {
      await finishBackfill(sql, input.backfillId, input.status);
    },
  };
}
