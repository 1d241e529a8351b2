// Sensors as long-running workflows (workflows/sensor.ts), one per sensor: reconciled from the plan on deploy, and
// the activity each loop iteration calls to look for events and start one run per event key, never two.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ExpressionError, renderString, renderValue, type Values } from '../spec/expressions.ts';
import type { Plan, PlanSensor } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import {
  claimKey,
  ensureSensorState,
  getSensorState,
  listSensorStates,
  markKeyStarted,
  recordSensorTick,
  releaseKey,
  saveCursor,
  withSensorLock,
  type SensorTickStatus,
} from '../store/sensors.ts';
import { deployedPlan } from './deploy.ts';
import { RunRequestError } from './run-request.ts';
import { startRun, type RunsClient } from './runs-client.ts';
import { observe, type SensorEvent } from './sensor-conditions.ts';

/** The workflow type of every sensor loop, and its stop signal's name (workflows/sensor.ts). */
export const SENSOR_WORKFLOW = 'sensorLoop';
export const STOP_SENSOR_SIGNAL = 'stopSensor';

export interface SensorLoopInput {
  project: string;
  sensor: string;
  /** Iterations before continuing as new; tests set it small. Default 200. */
  maxIterations?: number;
}

export const sensorWorkflowId = (project: string, sensor: string): string => `sensor-${project}-${sensor}`;

// ── reconcile ───────────────────────────────────────────────────────────────

export interface SensorReconcileResult {
  started: string[];
  stopped: string[];
  unchanged: string[];
}

/**
 * Makes the running sensor loops of `plan.project` match `plan.sensors`: starts those missing (again after a stop),
 * stops the paused and the removed; webhook sensors have no loop. Removed sensors are found through sensor_state, where every started sensor is
 * registered. A second call with the same plan changes nothing. `dryRun` reports without changing.
 */
export async function reconcileSensors(client: Client, sql: Sql, plan: Plan, opts: { taskQueue: string; dryRun?: boolean; maxIterations?: number }): Promise<SensorReconcileResult> {
  const result: SensorReconcileResult = { started: [], stopped: [], unchanged: [] };
  for (const name of Object.keys(plan.sensors).sort()) {
    const s = plan.sensors[name]!;
    const id = sensorWorkflowId(plan.project, name);
    if (s.kind === 'webhook') {
      // Webhook events are pushed through acceptWebhookEvent; a loop would have nothing to look at.
      result.unchanged.push(name);
      continue;
    }
    const running = await isRunning(client, id);
    if (s.paused) {
      if (running && !opts.dryRun) await stop(client, id);
      result[running ? 'stopped' : 'unchanged'].push(name);
      continue;
    }
    if (running) {
      result.unchanged.push(name);
      continue;
    }
    result.started.push(name);
    if (opts.dryRun) continue;
    await ensureSensorState(sql, plan.project, name);
    const input: SensorLoopInput = { project: plan.project, sensor: name, ...(opts.maxIterations ? { maxIterations: opts.maxIterations } : {}) };
    await client.workflow
      .start(SENSOR_WORKFLOW, { workflowId: id, taskQueue: opts.taskQueue, args: [input], workflowIdReusePolicy: 'ALLOW_DUPLICATE' })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
  }
  for (const { sensor } of await listSensorStates(sql, plan.project)) {
    if (Object.hasOwn(plan.sensors, sensor)) continue;
    const id = sensorWorkflowId(plan.project, sensor);
    if (!(await isRunning(client, id))) continue;
    if (!opts.dryRun) await stop(client, id);
    result.stopped.push(sensor);
  }
  return result;
}

export async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function stop(client: Client, workflowId: string): Promise<void> {
  await client.workflow
    .getHandle(workflowId)
    .signal(STOP_SENSOR_SIGNAL)
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
}

// ── evaluation ──────────────────────────────────────────────────────────────

export interface EvaluateSensorInput {
  project: string;
  sensor: string;
}

export type Evaluation =
  | { kind: 'continue'; everyMs: number; status: SensorTickStatus; runIds: string[]; reason: string | null }
  | { kind: 'stop'; reason: string };

/** The activities a sensor loop calls, as types only for the workflow. */
export interface SensorActivities {
  evaluateSensor(input: EvaluateSensorInput): Promise<Evaluation>;
}

export interface SensorActivityDeps {
  sql: Sql;
  projectRoot: string;
  env?: Record<string, string | undefined>;
  secrets?: Record<string, string | undefined>;
  /** Defaults to the activity's own client (Context.current().client). */
  client?: Client;
}

export function createSensorActivities(deps: SensorActivityDeps): SensorActivities {
  return {
    async evaluateSensor(input) {
      const ctx = Context.current();
      const rc: RunsClient = { client: deps.client ?? ctx.client, sql: deps.sql, taskQueue: ctx.info.taskQueue };
      return evaluateSensor(deps, rc, input, ctx.cancellationSignal);
    },
  };
}

/** One look: events since the cursor → one run per new key → the cursor saved → the tick recorded. */
export async function evaluateSensor(deps: SensorActivityDeps, rc: RunsClient, input: EvaluateSensorInput, signal: AbortSignal): Promise<Evaluation> {
  const { sql } = deps;
  const plan = await deployedPlan(sql, input.project);
  const sensor = plan && Object.hasOwn(plan.sensors, input.sensor) ? plan.sensors[input.sensor] : undefined;
  if (!plan || !sensor) return { kind: 'stop', reason: `sensor ${input.sensor} is not in the deployed plan of ${input.project}` };
  if (sensor.paused) return { kind: 'stop', reason: `sensor ${input.sensor} is paused` };
  const base: Values = { env: deps.env ?? {}, secrets: deps.secrets ?? {} };
  const look = await withSensorLock(sql, input.project, input.sensor, false, () => lookAndStart(deps, rc, plan, input.sensor, sensor, base, signal));
  // Another evaluation holds the sensor (a retried activity overlapping its first attempt): it does the work.
  const outcome = look.locked ? look.value : { status: 'skipped' as const, runIds: [], reason: 'another evaluation of this sensor is in progress' };
  await recordSensorTick(sql, { project: input.project, sensor: input.sensor, ...outcome });
  return { kind: 'continue', everyMs: sensor.everyMs, ...outcome };
}

type TickOutcome = { status: SensorTickStatus; runIds: string[]; reason: string | null };

async function lookAndStart(deps: SensorActivityDeps, rc: RunsClient, plan: Plan, name: string, sensor: PlanSensor, base: Values, signal: AbortSignal): Promise<TickOutcome> {
  const { sql } = deps;
  const state = await getSensorState(sql, plan.project, name);
  try {
    const seen = await observe({ sql, projectRoot: deps.projectRoot, values: base, signal }, sensor.spec, state?.cursor ?? null);
    const started = await startForEvents(rc, plan, name, sensor, seen.events, base);
    // The cursor moves only after every event's run is started (or known): a crash before this repeats the events,
    // and their keys make the repeat start nothing.
    await saveCursor(sql, plan.project, name, seen.cursor);
    return started.failures.length > 0
      ? { status: 'failed', runIds: started.runIds, reason: started.failures.join('; ') }
      : started.runIds.length > 0
        ? { status: 'started', runIds: started.runIds, reason: null }
        : { status: 'skipped', runIds: [], reason: seen.events.length > 0 ? 'every event key already has its run' : (seen.note ?? null) };
  } catch (err) {
    if (signal.aborted) throw err;
    return { status: 'failed', runIds: [], reason: err instanceof Error ? err.message : String(err) };
  }
}

/** `n-<sensor>-<hash of project, sensor, key>`: the same key always names the same run, so a retry starts it once. */
export function sensorRunId(project: string, sensor: string, key: string): string {
  const hash = createHash('sha256').update(JSON.stringify([project, sensor, key])).digest('hex').slice(0, 20);
  return `n-${sensor}-${hash}`;
}

async function startForEvents(rc: RunsClient, plan: Plan, name: string, sensor: PlanSensor, events: SensorEvent[], base: Values): Promise<{ runIds: string[]; failures: string[] }> {
  const runIds: string[] = [];
  const failures: string[] = [];
  for (const event of events) {
    const r = await startForEvent(rc, plan, name, sensor, event, base);
    if (r.kind === 'started') runIds.push(r.runId);
    else if (r.kind === 'failed') failures.push(r.reason);
  }
  return { runIds, failures };
}

export type EventOutcome = { kind: 'started'; runId: string; key: string } | { kind: 'duplicate'; runId: null; key: string } | { kind: 'failed'; reason: string };

/** Renders the event's key and run, claims the key, and starts the run only when this claim is the one to. */
export async function startForEvent(rc: RunsClient, plan: Plan, name: string, sensor: PlanSensor, event: SensorEvent, base: Values): Promise<EventOutcome> {
  const values: Values = { ...base, sensor: event.sensor };
  let key: string;
  let request: { pipeline: string; partition: string | null; params: Record<string, unknown> };
  try {
    const start = sensor.spec.start;
    key = renderString(start.key, values).value;
    request = {
      pipeline: start.pipeline,
      partition: start.partition === undefined ? null : renderString(start.partition, values).value,
      params: (renderValue(start.params ?? {}, values).value ?? {}) as Record<string, unknown>,
    };
  } catch (err) {
    if (err instanceof ExpressionError) return { kind: 'failed', reason: err.message };
    throw err;
  }
  const runId = await claimKey(rc.sql, plan.project, name, key, sensorRunId(plan.project, name, key));
  if (runId === undefined) return { kind: 'duplicate', runId: null, key };
  try {
    await startRun(rc, plan, request, { kind: 'sensor', by: name }, { runId });
  } catch (err) {
    if (err instanceof RunRequestError) {
      await releaseKey(rc.sql, plan.project, name, key);
      return { kind: 'failed', reason: `key ${JSON.stringify(key)}: ${err.message}` };
    }
    // The first attempt got as far as starting the workflow: the run is this key's.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  await markKeyStarted(rc.sql, plan.project, name, key);
  return { kind: 'started', runId, key };
}

// ── webhook ─────────────────────────────────────────────────────────────────

export class SensorError extends Error {
  override name = 'SensorError';
}

/**
 * A call to a webhook sensor's URL (the API checks the token before calling this): `sensor.body` is the request body,
 * `sensor.headers` its headers (lower-case names).
 * A redelivered event renders the same key and starts nothing.
 */
export async function acceptWebhookEvent(
  sql: Sql,
  rc: RunsClient,
  plan: Plan,
  name: string,
  body: unknown,
  opts: { headers?: Record<string, string>; values?: Values } = {},
): Promise<EventOutcome> {
  const sensor = Object.hasOwn(plan.sensors, name) ? plan.sensors[name] : undefined;
  if (!sensor) throw new SensorError(`project ${plan.project} has no sensor ${name}`);
  if (sensor.kind !== 'webhook') throw new SensorError(`sensor ${name} is a ${sensor.kind} sensor, not a webhook`);
  if (sensor.paused) throw new SensorError(`sensor ${name} is paused`);
  // Waits for the lock: a redelivery arriving at the same moment must answer `duplicate`, not start the run twice.
  const locked = await withSensorLock(sql, plan.project, name, true, () =>
    startForEvent({ ...rc, sql }, plan, name, sensor, { sensor: { body, headers: opts.headers ?? {} } }, opts.values ?? {}),
  );
  if (!locked.locked) throw new Error('a waiting sensor lock was not granted');
  const outcome = locked.value;
  const tick = outcome.kind === 'started'
    ? { status: 'started' as const, runIds: [outcome.runId], reason: null }
    : outcome.kind === 'duplicate'
      ? { status: 'skipped' as const, runIds: [], reason: `key ${JSON.stringify(outcome.key)} already has its run` }
      : { status: 'failed' as const, runIds: [], reason: outcome.reason };
  await recordSensorTick(sql, { project: plan.project, sensor: name, ...tick });
  return outcome;
}
