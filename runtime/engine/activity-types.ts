// The activities a run workflow calls, as types only: workflow code imports this file with `import type`.
import type { Check } from '../spec/generated/types.ts';
import type { RunInput, RunNode, RunPartition, RunStatus, StepReport, StepStatus } from './run-input.ts';

/** What every activity of a run needs to render expressions and reach resources. */
export interface RunScope {
  runId: string;
  project: string;
  pipeline: string;
  partition: RunPartition | null;
  params: Record<string, unknown>;
  resources: Record<string, Record<string, unknown>>;
}

export interface ExecuteStepInput extends RunScope {
  node: RunNode;
  /** Outputs of the steps that finished before this one, for `${steps.<x>.outputs.<y>}`. */
  upstream: Record<string, { outputs: Record<string, unknown> }>;
}

export interface ExecuteCheckInput extends RunScope {
  asset: string;
  check: { name: string; severity: 'error' | 'warn'; check: Check };
  upstream: Record<string, { outputs: Record<string, unknown> }>;
}

export interface CheckOutcome {
  name: string;
  severity: 'error' | 'warn';
  passed: boolean;
  metadata: Record<string, unknown>;
}

export interface PollWaitInput extends RunScope {
  step: string;
  until: Record<string, unknown>;
}

export interface RecordRunInput {
  runId: string;
  status: RunStatus;
  error?: string | null;
}

export interface RecordStepInput {
  runId: string;
  step: string;
  kind: 'asset' | 'task';
  status: StepStatus;
  error?: string | null;
  /** Set when a step is reused from the run a retry-from-failure copies. */
  reusedFrom?: string | null;
  outputs?: Record<string, unknown>;
}

export interface RecordEventInput {
  runId: string;
  step: string | null;
  /** Natural key, unique per run: a replayed call writes nothing new. */
  key: string;
  kind: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

export interface PrepareChildInput {
  parentRunId: string;
  step: string;
  pipeline: string;
  params: Record<string, unknown>;
  partition: string | null;
}

export interface RunActivities {
  executeStep(input: ExecuteStepInput): Promise<StepReport>;
  executeCheck(input: ExecuteCheckInput): Promise<CheckOutcome>;
  pollWait(input: PollWaitInput): Promise<{ done: boolean; detail: string }>;
  recordRun(input: RecordRunInput): Promise<void>;
  recordStep(input: RecordStepInput): Promise<void>;
  recordEvent(input: RecordEventInput): Promise<void>;
  prepareChildRun(input: PrepareChildInput): Promise<RunInput>;
}
