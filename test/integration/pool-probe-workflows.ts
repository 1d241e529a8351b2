// Test-only workflows: steps run under a pool through the helpers run workflows use.
import { condition, proxyActivities } from '@temporalio/workflow';
import { acquirePool, releasePool } from '../../workflows/pools.ts';

export interface ProbeActivities {
  /** Sleeps `ms` and records its own start and end times in the test process. */
  probeStep(input: { runId: string; step: string; ms: number }): Promise<void>;
}

const acts = proxyActivities<ProbeActivities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 1 } });

/** Runs `steps` concurrently, each holding a lease of `pool` while its activity runs. */
export async function poolProbe(input: { project: string; pool: string; runId: string; steps: string[]; ms: number }): Promise<void> {
  await Promise.all(
    input.steps.map(async (step) => {
      const holder = `${input.runId}/${step}`;
      await acquirePool(input.project, input.pool, holder);
      try {
        await acts.probeStep({ runId: input.runId, step, ms: input.ms });
      } finally {
        await releasePool(input.project, input.pool, holder);
      }
    }),
  );
}

/** Takes a lease and never gives it back on its own: a holder for tests to kill. */
export async function poolHog(input: { project: string; pool: string; holder: string }): Promise<void> {
  await acquirePool(input.project, input.pool, input.holder);
  await condition(() => false);
}
