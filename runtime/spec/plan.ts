// The compiled plan: plain JSON, deterministic, content-hashed. Runs record the hash of the plan they ran.
import type { Check, Sensor, Step } from './generated/types.ts';
import type { Mapping, Partitions } from './partitions.ts';

export const PLAN_FORMAT = 1;

export interface PlanRetry {
  /** Total attempts, including the first (Temporal's maximumAttempts). */
  attempts: number;
  backoff: 'fixed' | 'exponential';
  initialMs: number;
  maxMs: number;
}

export interface PlanSource {
  file: string;
  line: number;
}

export interface PlanCheck {
  name: string;
  severity: 'error' | 'warn';
  check: Check;
}

export type PlanAutomation =
  | { kind: 'eager' }
  | { kind: 'missing' }
  | { kind: 'on_cron'; cron: string; timezone: string };

export interface PlanAsset {
  description: string | null;
  group: string;
  owners: string[];
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  /** Name of the shared partition definition, or null when inline or unpartitioned. */
  partitionsName: string | null;
  partitions: Partitions | null;
  deps: { asset: string; mapping: Mapping | null }[];
  /** Null for external assets, produced outside Weir. */
  step: Step | null;
  retry: PlanRetry;
  timeoutMs: number;
  pool: string | null;
  checks: PlanCheck[];
  freshness: { maxLagMs: number; warnMs: number | null; cron: string | null; timezone: string } | null;
  automation: PlanAutomation | null;
  /** Hash of this asset's own definition and the files it references: "code changed since last materialization". */
  fingerprint: string;
  source: PlanSource;
}

export type PlanNode =
  | { kind: 'asset'; needs: string[] }
  | { kind: 'task'; needs: string[]; step: Step; retry: PlanRetry; timeoutMs: number; pool: string | null; description: string | null };

export interface PlanParam {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'enum';
  default: unknown;
  required: boolean;
  description: string | null;
  values: unknown[] | null;
  min: number | null;
  max: number | null;
}

export interface PlanPipeline {
  kind: 'assets' | 'tasks';
  description: string | null;
  selection: string | null;
  /** Name of the shared partition definition of the pipeline's runs, when it has one. */
  partitionsName: string | null;
  partitions: Partitions | null;
  params: Record<string, PlanParam>;
  concurrency: { limit: number; key: string | null; behavior: 'queue' | 'cancel_new' | 'cancel_running' | 'fail' } | null;
  /** Steps of one run in flight at once. */
  maxParallel: number;
  tags: Record<string, string>;
  /** Steps in dependency order; `needs` holds only names inside this pipeline. */
  nodes: Record<string, PlanNode>;
  order: string[];
  source: PlanSource;
}

export interface PlanSchedule {
  pipeline: string;
  description: string | null;
  cron: string;
  timezone: string;
  partition: string | null;
  params: Record<string, unknown>;
  overlap: 'skip' | 'buffer_one' | 'buffer_all' | 'cancel_other' | 'allow_all';
  catchupMs: number | null;
  jitterMs: number | null;
  paused: boolean;
  source: PlanSource;
}

export interface PlanSensor {
  kind: Sensor['kind'];
  everyMs: number;
  paused: boolean;
  /** The sensor as declared (kind-specific fields and `start`). */
  spec: Sensor;
  source: PlanSource;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  project: string;
  environment: string | null;
  /** sha256 of the canonical JSON of every other field. */
  hash: string;
  resources: Record<string, Record<string, unknown>>;
  pools: Record<string, { limit: number }>;
  partitions: Record<string, Partitions>;
  assets: Record<string, PlanAsset>;
  pipelines: Record<string, PlanPipeline>;
  schedules: Record<string, PlanSchedule>;
  sensors: Record<string, PlanSensor>;
  /** Every file a step or check references → sha256 of its content. */
  files: Record<string, string>;
}
