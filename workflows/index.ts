// The workflow entry point Temporal bundles: every workflow type Weir registers.
export { runPipeline, approvalUpdate, progressQuery } from './run-pipeline.ts';
export type { ApprovalDecision, RunProgress } from './run-pipeline.ts';
export { scheduledTick } from './scheduled-tick.ts';
export { backfill, pauseBackfillSignal, resumeBackfillSignal, backfillProgressQuery } from './backfill.ts';
export { poolSemaphore, acquireSignal, releaseSignal, grantedSignal } from './pools.ts';
export { sensorLoop, stopSensor } from './sensor.ts';
export { automationLoop } from './automation.ts';
