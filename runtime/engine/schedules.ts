// Schedules as Temporal Schedules: reconciled from the plan on deploy, and the activities a tick runs to start
// the scheduled run. Temporal decides when to fire (cron, zone, jitter, overlap, catch-up); Weir decides what a
// firing means (which partition, which run id) and records it as a tick.
import { Context } from '@temporalio/activity';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { hashOf } from '../spec/canonical-json.ts';
import { temporalCronString } from '../spec/cron.ts';
import { ExpressionError, renderString, renderValue, type Values } from '../spec/expressions.ts';
import { keyAt } from '../spec/partitions.ts';
import type { Plan, PlanPipeline, PlanSchedule } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import { getRun } from '../store/runs.ts';
import { recordTick, type TickStatus } from '../store/schedule-ticks.ts';
import type { RunStatus } from './run-input.ts';
import { RunRequestError } from './run-request.ts';
import { cancelRun, startRun } from './runs-client.ts';
import { deployedPlan } from './deploy.ts';

/** The workflow type every schedule starts (workflows/scheduled-tick.ts). */
export const TICK_WORKFLOW = 'scheduledTick';

// Temporal accepts almost any id, but these ids also appear in workflow ids, URLs and the CLI: keep them plain.
const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class ScheduleIdError extends Error {
  override name = 'ScheduleIdError';
}

/** `weir-<project>-<schedule>`; throws when a name would make an id other tools cannot pass around. */
export function scheduleIdOf(project: string, schedule: string): string {
  const id = `weir-${project}-${schedule}`;
  if (!SCHEDULE_ID.test(id)) throw new ScheduleIdError(`schedule \`${schedule}\` of project \`${project}\` gives the id ${JSON.stringify(id)}, which is not made of letters, digits, '.', '_' and '-' (at most 200)`);
  return id;
}

/** Stored in each schedule's memo: which project and schedule it belongs to, and the hash of what was applied. */
export interface ScheduleMemo {
  weirProject: string;
  weirSchedule: string;
  weirHash: string;
}

export interface TickArgs {
  project: string;
  schedule: string;
}

const OVERLAP: Record<PlanSchedule['overlap'], ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

/** Everything Temporal is told about one schedule; its hash decides whether an update is needed. */
function desiredOptions(project: string, name: string, s: PlanSchedule, taskQueue: string): ScheduleOptions {
  const scheduleId = scheduleIdOf(project, name);
  const body = {
    scheduleId,
    spec: {
      cronExpressions: [temporalCronString(s.cron)],
      timezone: s.timezone,
      ...(s.jitterMs ? { jitter: s.jitterMs } : {}),
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: TICK_WORKFLOW,
      // Temporal appends the fire time, so each tick has its own workflow id.
      workflowId: scheduleId,
      taskQueue,
      args: [{ project, schedule: name } satisfies TickArgs],
    },
    policies: {
      overlap: OVERLAP[s.overlap],
      ...(s.catchupMs !== null ? { catchupWindow: s.catchupMs } : {}),
    },
    state: { paused: s.paused, ...(s.paused ? { note: 'paused in the spec' } : {}) },
  };
  const memo: ScheduleMemo = { weirProject: project, weirSchedule: name, weirHash: hashOf(body) };
  return { ...body, memo: { ...memo } };
}

export interface ReconcileResult {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
}

interface Existing {
  id: string;
  hash: string | undefined;
  paused: boolean;
}

/** One schedule as Temporal has it, read by id: describe is consistent, unlike listing. */
async function describeSchedule(client: Client, id: string): Promise<Existing | undefined> {
  try {
    const d = await client.schedule.getHandle(id).describe();
    return { id, hash: (d.memo as Partial<ScheduleMemo> | undefined)?.weirHash, paused: d.state.paused };
  } catch (err) {
    ignoreNotFound(err);
    return undefined;
  }
}

/** The names of the project's schedules Temporal lists, found by the memo (an id prefix alone is ambiguous: `a-b` vs `a`). */
async function listedSchedules(client: Client, project: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const prefix = `weir-${project}-`;
  for await (const s of client.schedule.list()) {
    const memo = (s.memo ?? {}) as Partial<ScheduleMemo>;
    if (s.scheduleId.startsWith(prefix) && memo.weirProject === project && typeof memo.weirSchedule === 'string') found.set(memo.weirSchedule, s.scheduleId);
  }
  return found;
}

/**
 * Makes Temporal's schedules of `plan.project` match `plan.schedules`: creates the missing, replaces those whose
 * desired state changed, pauses or unpauses those flipped by hand (a deploy re-applies the spec's `paused`), deletes
 * those no longer in the plan. A second call with the same plan changes nothing. `dryRun` reports without changing.
 */
export async function reconcileSchedules(client: Client, _sql: Sql, plan: Plan, opts: { taskQueue: string; dryRun?: boolean }): Promise<ReconcileResult> {
  const result: ReconcileResult = { created: [], updated: [], deleted: [], unchanged: [] };
  const names = Object.keys(plan.schedules).sort();
  // Ids first: a name that makes an invalid id fails the whole reconcile before anything changes.
  const desired = names.map((name) => desiredOptions(plan.project, name, plan.schedules[name]!, opts.taskQueue));
  for (const [i, name] of names.entries()) {
    const want = desired[i]!;
    const have = await describeSchedule(client, want.scheduleId);
    const change = !have ? 'created' : have.hash !== memoOf(want).weirHash ? 'updated' : have.paused !== Boolean(want.state?.paused) ? 'updated' : 'unchanged';
    result[change].push(name);
    if (opts.dryRun || change === 'unchanged') continue;
    if (!have) await client.schedule.create(want);
    else if (have.hash !== memoOf(want).weirHash) await recreate(client, want);
    else await setPaused(client, want);
  }
  for (const [name, id] of await listedSchedules(client, plan.project)) {
    if (Object.hasOwn(plan.schedules, name)) continue;
    if (!opts.dryRun) await client.schedule.getHandle(id).delete().catch(ignoreNotFound);
    result.deleted.push(name);
  }
  result.deleted.sort();
  return result;
}

const memoOf = (options: ScheduleOptions): ScheduleMemo => options.memo as unknown as ScheduleMemo;

// A schedule's memo cannot be updated, and the memo carries the applied hash: a changed schedule is deleted and
// created again under the same id. Ticks already running are separate workflows and are not affected.
async function recreate(client: Client, want: ScheduleOptions): Promise<void> {
  await client.schedule.getHandle(want.scheduleId).delete().catch(ignoreNotFound);
  await client.schedule.create(want);
}

async function setPaused(client: Client, want: ScheduleOptions): Promise<void> {
  const handle = client.schedule.getHandle(want.scheduleId);
  if (want.state?.paused) await handle.pause('paused in the spec (re-applied by deploy)');
  else await handle.unpause('unpaused: the spec does not pause it (re-applied by deploy)');
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof ScheduleNotFoundError)) throw err;
}

// ── the tick ────────────────────────────────────────────────────────────────

export interface StartScheduledRunInput extends TickArgs {
  /** When the schedule meant to fire (ISO-8601): Temporal's TemporalScheduledStartTime. */
  scheduledAt: string;
}

export interface TickOutcome {
  status: TickStatus;
  runId: string | null;
  reason: string | null;
}

/** The activities a scheduled tick calls, as types only for the workflow. */
export interface ScheduleActivities {
  startScheduledRun(input: StartScheduledRunInput): Promise<TickOutcome>;
  /** The run's status, or null when there is no such run. */
  scheduledRunStatus(runId: string): Promise<RunStatus | null>;
  cancelScheduledRun(runId: string): Promise<void>;
}

export interface ScheduleActivityDeps {
  sql: Sql;
  /** Defaults to the activity's own client (Context.current().client). */
  client?: Client;
}

/** `s-<schedule>-20260329T010000Z`: the same firing always names the same run, so a retried tick starts it once. */
export function scheduledRunId(schedule: string, scheduledAt: Date): string {
  const compact = scheduledAt.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, (_, ms: string) => (ms === '000' ? 'Z' : `${ms}Z`));
  return `s-${schedule}-${compact}`;
}

export function createScheduleActivities(deps: ScheduleActivityDeps): ScheduleActivities {
  const { sql } = deps;
  const rcOf = () => {
    const ctx = Context.current();
    return { client: deps.client ?? ctx.client, sql, taskQueue: ctx.info.taskQueue };
  };
  return {
    async startScheduledRun(input) {
      const scheduledAt = new Date(input.scheduledAt);
      const outcome = await startTickRun(sql, rcOf, input, scheduledAt);
      await recordTick(sql, { project: input.project, schedule: input.schedule, scheduledAt, ...outcome });
      return outcome;
    },
    async scheduledRunStatus(runId) {
      return (await getRun(sql, runId))?.status ?? null;
    },
    async cancelScheduledRun(runId) {
      await cancelRun(rcOf(), runId).catch((err: unknown) => {
        if (!(err instanceof RunRequestError)) throw err;
      });
    },
  };
}

async function startTickRun(
  sql: Sql,
  rcOf: () => { client: Client; sql: Sql; taskQueue: string },
  input: StartScheduledRunInput,
  scheduledAt: Date,
): Promise<TickOutcome> {
  const plan = await deployedPlan(sql, input.project);
  const schedule = plan?.schedules[input.schedule];
  if (!plan || !schedule || !Object.hasOwn(plan.schedules, input.schedule)) {
    return { status: 'skipped', runId: null, reason: `schedule ${input.schedule} is not in the deployed plan of ${input.project}` };
  }
  const values: Values = { schedule: { scheduled_at: input.scheduledAt, name: input.schedule } };
  const runId = scheduledRunId(input.schedule, scheduledAt);
  try {
    const partition = partitionOf(schedule, plan.pipelines[schedule.pipeline], scheduledAt, values);
    if (partition.kind === 'none') return { status: 'skipped', runId: null, reason: partition.reason };
    const params = renderValue(schedule.params, values).value as Record<string, unknown>;
    await startRun(rcOf(), plan, { pipeline: schedule.pipeline, partition: partition.key, params }, { kind: 'schedule', by: input.schedule, scheduledAt: input.scheduledAt }, { runId });
    return { status: 'started', runId, reason: null };
  } catch (err) {
    // A retried tick whose first attempt started the run: the run is this tick's.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { status: 'started', runId, reason: null };
    if (err instanceof RunRequestError || err instanceof ExpressionError) return { status: 'failed', runId: null, reason: err.message };
    throw err;
  }
}

type TickPartition = { kind: 'key'; key: string | null } | { kind: 'none'; reason: string };

/** The partition a firing targets: `previous` (last complete before the fire time), `current`, or a template. */
export function partitionOf(schedule: PlanSchedule, pipeline: PlanPipeline | undefined, scheduledAt: Date, values: Values): TickPartition {
  const def = pipeline?.partitions ?? null;
  // An unset partition on a time-partitioned pipeline means the usual thing: the day (hour, …) that just ended.
  const which = schedule.partition ?? (def?.kind === 'time' ? 'previous' : null);
  if (which === null) return { kind: 'key', key: null };
  if (which !== 'previous' && which !== 'current') return { kind: 'key', key: renderString(which, values).value };
  if (!def) return { kind: 'key', key: null };
  const key = keyAt(def, scheduledAt, which);
  if (key === undefined) {
    const reason = def.kind === 'time' ? `no ${which} partition at ${scheduledAt.toISOString()} (before the partitions start, or after they end)` : `\`${which}\` needs time partitions, and ${schedule.pipeline}'s are ${def.kind}`;
    return { kind: 'none', reason };
  }
  return { kind: 'key', key };
}
