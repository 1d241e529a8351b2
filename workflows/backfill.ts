// The backfill workflow: one child run per partition, at most `parallel` in flight, pausable and
// cancellable, continuing as new (after its children drain) so its history never grows large.
// Deterministic: child run ids come from the backfill id and the partition's position.
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  isCancellation,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BackfillActivities, BackfillInput, BackfillOutcome, BackfillProgress } from '../runtime/engine/backfill-types.ts';
import type { runPipeline } from './run-pipeline.ts';
import { Semaphore } from './semaphore.ts';

export const pauseBackfillSignal = defineSignal('pause');
export const resumeBackfillSignal = defineSignal('resume');
export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');

// Bookkeeping is tiny and idempotent: local activities (a marker each, not three events).
const book = proxyLocalActivities<BackfillActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 20, initialInterval: '200ms', maximumInterval: '5s', nonRetryableErrorTypes: ['BackfillRunError'] },
});

// ~10 history events per child: 400 children stay well under Temporal's 50k-event limit.
const CONTINUE_AS_NEW_EVERY = 400;

export async function backfill(input: BackfillInput): Promise<BackfillProgress> {
  const total = input.partitions.length;
  const carried = input.carried ?? { next: 0, succeeded: 0, failed: 0, cancelled: 0, paused: false };
  const counts: Record<BackfillOutcome, number> = { succeeded: carried.succeeded, failed: carried.failed, cancelled: carried.cancelled };
  let next = carried.next;
  let paused = carried.paused;
  let finalStatus: BackfillProgress['status'] | null = null;
  const inFlight = new Set<Promise<void>>();
  const progress = (): BackfillProgress => ({
    status: finalStatus ?? (paused ? 'paused' : 'running'),
    total,
    ...counts,
    running: inFlight.size,
    pending: total - next,
  });
  setHandler(pauseBackfillSignal, () => void (paused = true));
  setHandler(resumeBackfillSignal, () => void (paused = false));
  setHandler(backfillProgressQuery, progress);

  const root = CancellationScope.current();
  const pauseRecorder = recordPauses(input.backfillId, () => paused, carried.paused);
  const semaphore = new Semaphore(Math.max(1, input.parallel));
  const every = input.continueAsNewEvery ?? CONTINUE_AS_NEW_EVERY;
  let startedHere = 0;

  const runPartition = async (index: number): Promise<void> => {
    const partition = input.partitions[index]!;
    const runId = `b-${input.backfillId}-${index}`;
    let outcome: BackfillOutcome;
    try {
      const child = await book.prepareBackfillRun({ backfillId: input.backfillId, project: input.project, pipeline: input.pipeline, partition, index, params: input.params });
      const result = await executeChild<typeof runPipeline>('runPipeline', {
        workflowId: `run-${child.runId}`,
        args: [child],
        // A terminated backfill still cancels its runs, which then record their end.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      outcome = result.status === 'running' ? 'failed' : result.status;
    } catch (err) {
      outcome = isCancellation(err) || root.consideredCancelled ? 'cancelled' : 'failed';
    }
    counts[outcome]++;
    await CancellationScope.nonCancellable(() => book.recordBackfillPartition({ backfillId: input.backfillId, partition, runId, status: outcome }));
  };

  try {
    while (next < total && !root.consideredCancelled) {
      if (startedHere >= every || workflowInfo().continueAsNewSuggested) break;
      await condition(() => !paused);
      await semaphore.acquire();
      // Paused or cancelled while waiting for a slot: start nothing, give the slot back.
      if (paused || root.consideredCancelled) {
        semaphore.release();
        continue;
      }
      const index = next++;
      startedHere++;
      const child: Promise<void> = runPartition(index).finally(() => {
        inFlight.delete(child);
        semaphore.release();
      });
      inFlight.add(child);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
  }
  // Running children finish (or, when cancelled, are cancelled and record that) before anything else.
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  const lastPaused = await pauseRecorder.stop();

  const cancelled = root.consideredCancelled;
  if (!cancelled && next < total) {
    await continueAsNew<typeof backfill>({ ...input, carried: { next, ...counts, paused: lastPaused } });
  }
  finalStatus = cancelled || counts.cancelled > 0 ? 'cancelled' : counts.failed > 0 ? 'failed' : 'succeeded';
  const status = finalStatus;
  await CancellationScope.nonCancellable(() => book.finishBackfill({ backfillId: input.backfillId, status }));
  return progress();
}

/** Mirrors pause/resume into the backfill row as they happen, from a coroutine of its own. */
function recordPauses(backfillId: string, isPaused: () => boolean, initial: boolean): { stop(): Promise<boolean> } {
  let recorded = initial;
  let stopping = false;
  const loop = CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => stopping || isPaused() !== recorded);
      if (isPaused() !== recorded) {
        const paused = isPaused();
        await book.recordBackfillPaused({ backfillId, paused });
        recorded = paused;
        continue;
      }
      if (stopping) return recorded;
    }
  });
  return {
    stop() {
      stopping = true;
      return loop;
    },
  };
}
