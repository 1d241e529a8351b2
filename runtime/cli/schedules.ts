// `weir schedules list|trigger|pause|unpause` and the schedule part of `weir deploy`.
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { deployedPlan } from '../engine/deploy.ts';
import { reconcileSchedules, scheduleIdOf, type ReconcileResult } from '../engine/schedules.ts';
import { formatInZone, nextFires } from '../spec/cron.ts';
import type { Plan } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import { lastTicks, type TickRow } from '../store/schedule-ticks.ts';
import { withStack } from './runs.ts';
import type { StackClients } from './stack.ts';
import { UsageError } from './usage-error.ts';

const NEXT_COUNT = 10;

export interface ScheduleListing {
  name: string;
  pipeline: string;
  cron: string;
  timezone: string;
  partition: string | null;
  /** Temporal's state; false too when the schedule is not (yet) on Temporal. */
  paused: boolean;
  /** False when the deployed plan has the schedule but Temporal does not: deploy has not reconciled it. */
  onTemporal: boolean;
  /** ISO-8601 instants with the zone's offset. Empty while paused. */
  next: string[];
  lastTick: { scheduledAt: string; status: TickRow['status']; runId: string | null; reason: string | null } | null;
}

/** Each schedule of the deployed plan with its state on Temporal, next fire times and last tick. */
export async function listSchedules(client: Client, sql: Sql, plan: Plan, now = new Date()): Promise<ScheduleListing[]> {
  const ticks = await lastTicks(sql, plan.project);
  const out: ScheduleListing[] = [];
  for (const name of Object.keys(plan.schedules).sort()) {
    const s = plan.schedules[name]!;
    const onTemporal = await temporalState(client, scheduleIdOf(plan.project, name));
    const paused = onTemporal?.paused ?? s.paused;
    const tick = ticks.get(name);
    out.push({
      name,
      pipeline: s.pipeline,
      cron: s.cron,
      timezone: s.timezone,
      partition: s.partition,
      paused,
      onTemporal: onTemporal !== undefined,
      // The scheduler's own next times once deployed (authoritative, also inside DST changeovers); a preview before.
      next: paused
        ? []
        : onTemporal
          ? onTemporal.next.slice(0, NEXT_COUNT).map((d) => formatInZone(d, s.timezone))
          : nextFires(s.cron, s.timezone, now, NEXT_COUNT),
      lastTick: tick ? { scheduledAt: tick.scheduledAt.toISOString(), status: tick.status, runId: tick.runId, reason: tick.reason } : null,
    });
  }
  return out;
}

async function temporalState(client: Client, id: string): Promise<{ paused: boolean; next: Date[] } | undefined> {
  try {
    const d = await client.schedule.getHandle(id).describe();
    return { paused: d.state.paused, next: d.info.nextActionTimes };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

export async function schedulesListCommand(opts: { project: string; format: 'text' | 'json' }): Promise<void> {
  await withStack(opts.project, async (stack, project) => {
    const list = await listSchedules(stack.client, stack.sql, await requirePlan(stack, project));
    if (opts.format === 'json') {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (list.length === 0) process.stdout.write(`project ${project} has no schedules\n`);
    for (const s of list) process.stdout.write(formatListing(s));
  });
}

function formatListing(s: ScheduleListing): string {
  const state = !s.onTemporal ? 'not on Temporal (run `weir deploy`)' : s.paused ? 'paused' : 'active';
  const lines = [`${s.name}  → ${s.pipeline}  ${s.cron} (${s.timezone})  ${state}`];
  if (s.next.length > 0) lines.push(`  next: ${s.next.slice(0, 3).join(', ')}${s.next.length > 3 ? `, … (${s.next.length})` : ''}`);
  const t = s.lastTick;
  lines.push(`  last tick: ${t ? `${t.scheduledAt} ${t.status}${t.runId ? ` run ${t.runId}` : ''}${t.reason ? ` (${t.reason})` : ''}` : 'none'}`);
  return `${lines.join('\n')}\n`;
}

/** Fires a schedule now, under its overlap policy; the tick is recorded like any other. */
export async function schedulesTriggerCommand(name: string, opts: { project: string }): Promise<void> {
  await withSchedule(name, opts.project, async (handle) => {
    await handle.trigger();
    process.stdout.write(`triggered ${name}: its tick starts the run (see \`weir schedules list\` for the last tick)\n`);
  });
}

export async function schedulesPauseCommand(name: string, opts: { project: string; note?: string }): Promise<void> {
  await withSchedule(name, opts.project, async (handle) => {
    await handle.pause(opts.note ?? `paused from the CLI by ${process.env.USER ?? 'someone'}`);
    process.stdout.write(`paused ${name}; note: the next \`weir deploy\` re-applies the spec's \`paused\`, so set \`paused: true\` in the spec to keep it paused\n`);
  });
}

export async function schedulesUnpauseCommand(name: string, opts: { project: string; note?: string }): Promise<void> {
  await withSchedule(name, opts.project, async (handle) => {
    await handle.unpause(opts.note ?? `unpaused from the CLI by ${process.env.USER ?? 'someone'}`);
    process.stdout.write(`unpaused ${name}; note: the next \`weir deploy\` re-applies the spec's \`paused\`, so a schedule with \`paused: true\` in the spec will be paused again\n`);
  });
}

type ScheduleHandle = ReturnType<Client['schedule']['getHandle']>;

async function withSchedule(name: string, projectOpt: string, fn: (handle: ScheduleHandle) => Promise<void>): Promise<void> {
  await withStack(projectOpt, async (stack, project) => {
    const plan = await requirePlan(stack, project);
    if (!Object.hasOwn(plan.schedules, name)) {
      const known = Object.keys(plan.schedules);
      throw new UsageError(`no schedule \`${name}\` in the deployed plan of ${project}${known.length ? ` (schedules: ${known.join(', ')})` : ''}`);
    }
    try {
      await fn(stack.client.schedule.getHandle(scheduleIdOf(project, name)));
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw new UsageError(`schedule \`${name}\` is deployed but not on Temporal: run \`weir deploy\``);
      throw err;
    }
  });
}

async function requirePlan(stack: StackClients, project: string): Promise<Plan> {
  const plan = await deployedPlan(stack.sql, project);
  if (!plan) throw new UsageError(`project ${project} is not deployed yet: run \`weir deploy\` (weir dev deploys on start)`);
  return plan;
}

/** The schedule step of `weir deploy`: reconciles and prints each change (with `dryRun`, what would change). */
export async function deployReconcileSchedules(stack: StackClients, plan: Plan, opts: { dryRun?: boolean; out?: NodeJS.WritableStream } = {}): Promise<ReconcileResult> {
  const out = opts.out ?? process.stdout;
  const result = await reconcileSchedules(stack.client, stack.sql, plan, { taskQueue: stack.info.taskQueue, dryRun: opts.dryRun ?? false });
  out.write(formatReconcile(result, opts.dryRun ?? false));
  return result;
}

export function formatReconcile(r: ReconcileResult, dryRun: boolean): string {
  const verb = (done: string, would: string) => (dryRun ? would : done);
  const lines = [
    ...r.created.map((n) => `  + schedule ${n} ${verb('created', 'would be created')}`),
    ...r.updated.map((n) => `  ~ schedule ${n} ${verb('updated', 'would be updated')}`),
    ...r.deleted.map((n) => `  - schedule ${n} ${verb('deleted', 'would be deleted')}`),
  ];
  if (lines.length === 0) return r.unchanged.length > 0 ? `schedules unchanged (${r.unchanged.length})\n` : '';
  return `${lines.join('\n')}\n`;
}
