// One sensor's loop: look (an activity), sleep `every` on a durable timer, repeat; continue-as-new before the
// history grows; end when signalled or when the deployed plan no longer has the sensor running.
import { ActivityFailure, condition, continueAsNew, defineSignal, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SensorActivities, SensorLoopInput } from '../runtime/engine/sensors.ts';

const acts = proxyActivities<SensorActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export const stopSensor = defineSignal('stopSensor');

const DEFAULT_ITERATIONS = 200;
/** Wait after an evaluation failed even its retries (the activity could not say how long `every` is). */
const FAILURE_WAIT_MS = 60_000;

export interface SensorLoopResult {
  stopped: string;
  iterations: number;
}

export async function sensorLoop(input: SensorLoopInput): Promise<SensorLoopResult> {
  let stopRequested = false;
  setHandler(stopSensor, () => {
    stopRequested = true;
  });
  const cap = input.maxIterations ?? DEFAULT_ITERATIONS;
  for (let i = 0; i < cap; i++) {
    if (stopRequested) return { stopped: 'stop signal', iterations: i };
    let waitMs = FAILURE_WAIT_MS;
    try {
      const result = await acts.evaluateSensor({ project: input.project, sensor: input.sensor });
      if (result.kind === 'stop') return { stopped: result.reason, iterations: i + 1 };
      waitMs = result.everyMs;
    } catch (err) {
      // A broken database or worker must not end the sensor: the next iteration tries again.
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('sensor evaluation failed', { sensor: input.sensor, error: err.message });
    }
    // A durable timer that a stop signal cuts short.
    if (await condition(() => stopRequested, waitMs)) return { stopped: 'stop signal', iterations: i + 1 };
    if (workflowInfo().continueAsNewSuggested) break;
  }
  // The cursor lives in sensor_state, so the new execution carries on exactly where this one stopped.
  return continueAsNew<typeof sensorLoop>(input);
}
