// `weir sensors list|ticks`: each sensor of the deployed plan with its loop on Temporal, cursor and recent ticks.
import type { Client } from '@temporalio/client';
import { deployedPlan } from '../engine/deploy.ts';
import { isRunning, reconcileSensors, sensorWorkflowId, type SensorReconcileResult } from '../engine/sensors.ts';
import type { Plan } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import { getSensorState, listSensorTicks, type SensorTickRow } from '../store/sensors.ts';
import { withStack } from './runs.ts';
import type { StackClients } from './stack.ts';
import { UsageError } from './usage-error.ts';

export interface SensorListing {
  name: string;
  kind: string;
  paused: boolean;
  everyMs: number;
  /** Whether its loop workflow is running on Temporal (never for webhook sensors, which have no loop). */
  running: boolean;
  cursor: unknown;
  lastTicks: TickListing[];
}

export interface TickListing {
  tickedAt: string;
  status: SensorTickRow['status'];
  runIds: string[];
  reason: string | null;
}

const toListing = (t: SensorTickRow): TickListing => ({ tickedAt: t.tickedAt.toISOString(), status: t.status, runIds: t.runIds, reason: t.reason });

export async function listSensors(client: Client, sql: Sql, plan: Plan, ticks = 3): Promise<SensorListing[]> {
  const out: SensorListing[] = [];
  for (const name of Object.keys(plan.sensors).sort()) {
    const s = plan.sensors[name]!;
    out.push({
      name,
      kind: s.kind,
      paused: s.paused,
      everyMs: s.everyMs,
      running: await isRunning(client, sensorWorkflowId(plan.project, name)),
      cursor: (await getSensorState(sql, plan.project, name))?.cursor ?? null,
      lastTicks: (await listSensorTicks(sql, plan.project, name, ticks)).map(toListing),
    });
  }
  return out;
}

export async function sensorsListCommand(opts: { project: string; format: 'text' | 'json' }): Promise<void> {
  await withStack(opts.project, async (stack, project) => {
    const list = await listSensors(stack.client, stack.sql, await requirePlan(stack.sql, project));
    if (opts.format === 'json') {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (list.length === 0) process.stdout.write(`project ${project} has no sensors\n`);
    for (const s of list) process.stdout.write(formatListing(s));
  });
}

export function formatListing(s: SensorListing): string {
  const state = s.paused ? 'paused' : s.kind === 'webhook' ? 'called through the API' : s.running ? 'running' : 'not running (run `weir deploy`)';
  const lines = [`${s.name}  ${s.kind} every ${s.everyMs / 1000}s  ${state}`, `  cursor: ${s.cursor === null ? 'none' : abbreviate(JSON.stringify(s.cursor))}`];
  lines.push(...(s.lastTicks.length === 0 ? ['  last tick: none'] : s.lastTicks.map((t) => `  ${formatTick(t)}`)));
  return `${lines.join('\n')}\n`;
}

const formatTick = (t: TickListing): string => `${t.tickedAt} ${t.status}${t.runIds.length ? ` runs ${t.runIds.join(', ')}` : ''}${t.reason ? ` (${t.reason})` : ''}`;
const abbreviate = (text: string): string => (text.length > 120 ? `${text.slice(0, 117)}…` : text);

export async function sensorsTicksCommand(name: string, opts: { project: string; format: 'text' | 'json'; limit?: string }): Promise<void> {
  const limit = opts.limit === undefined ? 20 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, not ${opts.limit}`);
  await withStack(opts.project, async (stack, project) => {
    const plan = await requirePlan(stack.sql, project);
    if (!Object.hasOwn(plan.sensors, name)) throw new UsageError(`project ${project} has no sensor ${name}`);
    const ticks = (await listSensorTicks(stack.sql, project, name, limit)).map(toListing);
    if (opts.format === 'json') process.stdout.write(`${JSON.stringify(ticks, null, 2)}\n`);
    else process.stdout.write(ticks.length === 0 ? `sensor ${name} has not ticked yet\n` : ticks.map((t) => `${formatTick(t)}\n`).join(''));
  });
}

async function requirePlan(sql: Sql, project: string): Promise<Plan> {
  const plan = await deployedPlan(sql, project);
  if (!plan) throw new UsageError(`project ${project} is not deployed yet: run \`weir deploy\` (weir dev deploys on start)`);
  return plan;
}

/** The sensor step of `weir deploy`/`weir dev`: reconciles the loops and prints each change (with `dryRun`, what would change). */
export async function deployReconcileSensors(stack: StackClients, plan: Plan, opts: { dryRun?: boolean; out?: NodeJS.WritableStream } = {}): Promise<SensorReconcileResult> {
  const out = opts.out ?? process.stdout;
  const dryRun = opts.dryRun ?? false;
  const result = await reconcileSensors(stack.client, stack.sql, plan, { taskQueue: stack.info.taskQueue, dryRun });
  out.write(formatSensorReconcile(result, dryRun));
  return result;
}

export function formatSensorReconcile(r: SensorReconcileResult, dryRun: boolean): string {
  const lines = [
    ...r.started.map((n) => `  + sensor ${n} ${dryRun ? 'would be started' : 'started'}`),
    ...r.stopped.map((n) => `  - sensor ${n} ${dryRun ? 'would be stopped' : 'stopped'}`),
  ];
  if (lines.length === 0) return r.unchanged.length > 0 ? `sensors unchanged (${r.unchanged.length})\n` : '';
  return `${lines.join('\n')}\n`;
}
