// The automation loop: one per project (id `automation-<project>`), ticking every `everyMs` and
// continuing as new every few hundred ticks so its history stays small. All the work is in the activity.
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { AutomationActivities, AutomationLoopInput } from '../runtime/engine/automation-types.ts';

const { runAutomationTick } = proxyActivities<AutomationActivities>({
  startToCloseTimeout: '2m',
  retry: { maximumAttempts: 5, initialInterval: '1s', maximumInterval: '30s' },
});

// ~6 history events per tick: 500 ticks stay far below Temporal's limits.
const CONTINUE_AS_NEW_EVERY = 500;

export async function automationLoop(input: AutomationLoopInput): Promise<void> {
  const every = input.continueAsNewEvery ?? CONTINUE_AS_NEW_EVERY;
  for (let i = 0; i < every; i++) {
    try {
      await runAutomationTick({ project: input.project });
    } catch {
      // A tick that failed all its retries is skipped; the next one re-evaluates from the database.
    }
    await sleep(input.everyMs);
  }
  await continueAsNew<typeof automationLoop>({ ...input, ticks: (input.ticks ?? 0) + every });
}
