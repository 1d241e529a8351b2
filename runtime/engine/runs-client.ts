// Starting, cancelling, approving and retrying runs: the database row first, then the workflow.
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { releaseSignal } from '../../workflows/pools.ts';
import { getAdmission } from '../store/concurrency.ts';
import { concurrencyGateId, launchRun } from './concurrency.ts';
import type { Plan } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import { listDynamicKeys } from '../store/partitions.ts';
import { createRun, finishRun, getRun, type RunRow, type RunTrigger } from '../store/runs.ts';
import { listSteps } from '../store/steps.ts';
import { buildRunInput, RunRequestError, type RunRequest } from './run-request.ts';
import type { RunInput } from './run-input.ts';

export interface RunsClient {
  client: Client;
  sql: Sql;
  taskQueue: string;
}

/** Run ids sort by creation time and are safe in URLs, paths and Temporal ids. */
export function newRunId(now = Date.now()): string {
  return `r${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

export const workflowIdOf = (runId: string): string => `run-${runId}`;

async function dynamicKeyLookup(sql: Sql, plan: Plan): Promise<(definition: string) => readonly string[] | undefined> {
  const keys = new Map<string, string[]>();
  for (const [name, def] of Object.entries(plan.partitions)) if (def.kind === 'dynamic') keys.set(name, await listDynamicKeys(sql, name));
  return (definition) => keys.get(definition);
}

export interface PrepareOptions {
  runId?: string;
  retryOf?: string;
  reuse?: RunInput['reuse'];
  parentRunId?: string;
}

/**
 * Builds a run's input from the plan (checking partition, params and selection) and records its row,
 * idempotently by run id: the shared first half of every launch (manual, child, backfill, schedule…).
 */
export async function prepareRun(sql: Sql, plan: Plan, request: RunRequest, trigger: RunTrigger, opts: PrepareOptions = {}): Promise<RunInput> {
  const runId = opts.runId ?? newRunId();
  const input = buildRunInput(plan, request, { runId, retryOf: opts.retryOf ?? null, reuse: opts.reuse ?? {} }, await dynamicKeyLookup(sql, plan));
  await createRun(sql, {
    id: runId,
    project: plan.project,
    pipeline: input.pipeline,
    partition: input.partition?.key ?? null,
    params: input.params,
    planHash: plan.hash,
    trigger,
    retryOf: opts.retryOf ?? null,
    parentRunId: opts.parentRunId ?? null,
  });
  return input;
}

export async function startRun(rc: RunsClient, plan: Plan, request: RunRequest, trigger: RunTrigger, opts: PrepareOptions = {}): Promise<RunInput> {
  const input = await prepareRun(rc.sql, plan, request, trigger, opts);
  // Pipeline `concurrency` decides whether the run starts now, waits in line, or is refused.
  await launchRun(rc, plan, input);
  return input;
}

export async function cancelRun(rc: RunsClient, runId: string): Promise<RunRow> {
  const run = await requireRun(rc.sql, runId);
  if (run.status !== 'queued' && run.status !== 'running') return run;
  const admission = await getAdmission(rc.sql, runId);
  if (admission?.decision === 'queued' && run.status === 'queued') {
    // Waiting behind a concurrency gate, its workflow may not exist yet: leave the queue, then end the row.
    const gate = concurrencyGateId(run.project, run.pipeline, admission.key);
    await rc.client.workflow.getHandle(gate).signal(releaseSignal, { holder: runId }).catch(() => undefined);
  }
  try {
    await rc.client.workflow.getHandle(workflowIdOf(runId)).cancel();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    await finishRun(rc.sql, runId, 'cancelled', 'cancelled while queued');
  }
  return run;
}

export async function approveStep(rc: RunsClient, runId: string, step: string, approve: boolean, by: string, comment?: string): Promise<void> {
  await requireRun(rc.sql, runId);
  await rc.client.workflow.getHandle(workflowIdOf(runId)).executeUpdate('approve', { args: [{ step, approve, by, ...(comment ? { comment } : {}) }] });
}

/** Re-executes a finished run from its failure: steps that succeeded are reused, not run again. */
export async function retryRun(rc: RunsClient, plan: Plan, runId: string, by: string): Promise<RunInput> {
  const run = await requireRun(rc.sql, runId);
  if (run.status === 'queued' || run.status === 'running') throw new RunRequestError('run', `run ${runId} is still ${run.status}`);
  const steps = await listSteps(rc.sql, runId);
  const reuse: RunInput['reuse'] = {};
  for (const s of steps) if (s.status === 'succeeded') reuse[s.name] = { outputs: s.outputs };
  return startRun(rc, plan, { pipeline: run.pipeline, partition: run.partition, params: run.params }, { kind: 'retry', by, run: runId }, { retryOf: runId, reuse });
}

/** A run whose workflow could not be started is marked failed so it never stays queued. */
export async function failUnstarted(sql: Sql, runId: string, error: string): Promise<void> {
  await finishRun(sql, runId, 'failed', error);
}

async function requireRun(sql: Sql, runId: string): Promise<RunRow> {
  const run = await getRun(sql, runId);
  if (!run) throw new RunRequestError('run', `no run ${runId}`);
  return run;
}
