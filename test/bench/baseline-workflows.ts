// Workflows for the raw-Temporal baseline (temporal-baseline.bench.ts): the benchmark shapes written
// directly against the SDK, with no Weir code, so Weir's own overhead can be read off against them.
import { proxyActivities } from '@temporalio/workflow';

export interface BaselineActivities {
  noop(step: number): Promise<void>;
}

const { noop } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 3 },
});

/** `steps` no-op activities, each started after the previous one finished. */
export async function chainWorkflow(steps: number): Promise<number> {
  for (let step = 0; step < steps; step++) await noop(step);
  return steps;
}

/** `width` independent no-op activities, at most `parallelism` in flight (a fixed pool of lanes). */
export async function fanOutWorkflow(width: number, parallelism: number): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < width) await noop(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, width) }, lane));
  return width;
}
