// The workflow entry point Temporal bundles: every workflow type Weir registers.
export { runPipeline, approvalUpdate, progressQuery } from './run-pipeline.ts';
export type { ApprovalDecision, RunProgress } from './run-pipeline.ts';
