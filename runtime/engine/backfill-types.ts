// The backfill workflow's input, progress and activities, as types only: workflow code imports this
// file with `import type`.
import type { RunInput } from './run-input.ts';

export type BackfillOutcome = 'succeeded' | 'failed' | 'cancelled';

/** What one execution of the backfill workflow hands to the next when it continues as new. */
export interface BackfillCarried {
  /** Index of the next partition to start: every partition before it has finished. */
  next: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  paused: boolean;
}

export interface BackfillInput {
  backfillId: string;
  project: string;
  pipeline: string;
  /** Partition keys in the order they are started. */
  partitions: string[];
  /** Child runs in flight at once. */
  parallel: number;
  /** Partitions per child run; only 1 is supported (a run targets one partition). */
  batch?: number;
  params: Record<string, unknown>;
  /** Children started by one execution before it continues as new (keeps history small). */
  continueAsNewEvery?: number;
  carried?: BackfillCarried;
}

export interface BackfillProgress {
  status: 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  running: number;
  pending: number;
}

export interface PrepareBackfillRunInput {
  backfillId: string;
  project: string;
  pipeline: string;
  partition: string;
  index: number;
  params: Record<string, unknown>;
}

export interface RecordBackfillPartitionInput {
  backfillId: string;
  partition: string;
  runId: string;
  status: BackfillOutcome;
}

export interface BackfillActivities {
  /** Builds the child run's input from the deployed plan and creates its run row (idempotent). */
  prepareBackfillRun(input: PrepareBackfillRunInput): Promise<RunInput>;
  recordBackfillPartition(input: RecordBackfillPartitionInput): Promise<void>;
  recordBackfillPaused(input: { backfillId: string; paused: boolean }): Promise<void>;
  finishBackfill(input: { backfillId: string; status: BackfillOutcome }): Promise<void>;
}

/** Child run ids are deterministic, so a replayed or resumed backfill finds the run it already started. */
export const backfillRunId = (backfillId: string, index: number): string => `b-${backfillId}-${index}`;
export const backfillWorkflowId = (backfillId: string): string => `backfill-${backfillId}`;
