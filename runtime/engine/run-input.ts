// What one run needs, cut from the plan when the run starts: the workflow's input. Editing YAML never
// disturbs a run in flight because the run carries its own fragment of the plan.
import type { Check, Step } from '../spec/generated/types.ts';
import type { PlanRetry } from '../spec/plan.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** The partition a run targets, with what expressions may read of it. */
export interface RunPartition {
  key: string;
  /** Dimension keys of a multi-partitioned key. */
  keys?: Record<string, string>;
  /** ISO-8601 instants bounding a time partition (or the time dimension of a multi key). */
  start?: string;
  end?: string;
}

export interface RunNode {
  name: string;
  /** `asset` nodes materialize the asset of the same name; `task` nodes are steps of a task pipeline. */
  kind: 'asset' | 'task';
  needs: string[];
  step: Step | null;
  retry: PlanRetry;
  timeoutMs: number;
  pool: string | null;
  checks: { name: string; severity: 'error' | 'warn'; check: Check }[];
  /** For assets: the fingerprint recorded with materializations. */
  fingerprint: string | null;
}

export interface RunInput {
  runId: string;
  project: string;
  pipeline: string;
  planHash: string;
  partition: RunPartition | null;
  params: Record<string, unknown>;
  /** Nodes in dependency order. */
  nodes: RunNode[];
  maxParallel: number;
  /** Resources the nodes use, as declared (expressions unrendered: secrets are resolved on the worker only). */
  resources: Record<string, Record<string, unknown>>;
  /** Steps that already succeeded in the run this one retries: recorded as succeeded, not run again. */
  reuse: Record<string, { outputs: Record<string, unknown> }>;
  /** The run this one retries, if any. */
  retryOf: string | null;
  /** The pipeline-concurrency gate holding this run's slot, released when the run ends. */
  concurrencyGate?: string | null;
}

/** What a step reports: metadata (row counts, paths, previews) and small outputs for downstream steps. */
export interface StepReport {
  metadata: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
