// One firing of a schedule: start the scheduled run, then stay open until it ends, so that Temporal's overlap
// policy (skip, buffer, cancel_other, …), which looks at this workflow, applies to the run itself.
import { CancellationScope, isCancellation, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { ScheduleActivities, TickArgs, TickOutcome } from '../runtime/engine/schedules.ts';

const acts = proxyActivities<ScheduleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// Set by the Temporal Schedule on every workflow it starts: the nominal fire time (before jitter), or the time
// of a manual trigger.
// (The key is spelt out: defineSearchAttributeKey lives in @temporalio/common, which workflows do not import.)
const SCHEDULED_START = { name: 'TemporalScheduledStartTime', type: 'DATETIME' } as const;

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
const FIRST_POLL_MS = 2_000;
const MAX_POLL_MS = 60_000;

export async function scheduledTick(args: TickArgs): Promise<TickOutcome> {
  const outcome = await acts.startScheduledRun({ ...args, scheduledAt: scheduledAt().toISOString() });
  if (outcome.status !== 'started' || outcome.runId === null) return outcome;
  const runId = outcome.runId;
  try {
    await untilFinished(runId);
  } catch (err) {
    // cancel_other cancels this tick: the run it started goes with it.
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => acts.cancelScheduledRun(runId));
    throw err;
  }
  return outcome;
}

/** The fire time this tick stands for; a workflow started some other way falls back to its own start. */
function scheduledAt(): Date {
  const info = workflowInfo();
  const typed = info.typedSearchAttributes.get(SCHEDULED_START);
  if (typed instanceof Date) return typed;
  const untyped = (info.searchAttributes as Record<string, unknown[] | undefined>)['TemporalScheduledStartTime']?.[0];
  if (untyped instanceof Date || typeof untyped === 'string') return new Date(untyped);
  return info.runStartTime;
}

// Runs have no completion callback to an outside workflow: poll the run's status on a durable timer, backing off
// so a day-long run costs a few hundred small activities, not a worker slot.
async function untilFinished(runId: string): Promise<void> {
  let wait = FIRST_POLL_MS;
  for (;;) {
    const status = await acts.scheduledRunStatus(runId);
    if (status === null || FINISHED.has(status)) return;
    await sleep(wait);
    wait = Math.min(wait * 2, MAX_POLL_MS);
  }
}
