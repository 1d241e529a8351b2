// Generated from schema/*.schema.json by runtime/build/generate-types.ts — do not edit; run `npm run gen:types`.

/**
 * A connection to an external system, chosen by `kind`. String values may use `${env.NAME}` and `${secret.NAME}`.
 */
export type Resource = PostgresResource | HttpResource | S3Resource | GenericResource;
/**
 * How an asset splits into partitions, chosen by `kind`.
 */
export type PartitionDefinition = TimePartitions | StaticPartitions | MultiPartitions | DynamicPartitions;
/**
 * A static partition key: letters, digits, `_`, `.` and `-`, starting with a letter or digit.
 */
export type PartitionKey = string;
/**
 * A name: lowercase letters, digits and underscores, starting with a letter; dots separate namespaces (e.g. `sales.orders`). At most 128 characters.
 */
export type Name = string;
/**
 * A team (`team:<name>`) or a person's e-mail address.
 */
export type Principal = string;
/**
 * An upstream asset: its name, or `{ asset, mapping }` to choose which upstream partitions each partition reads.
 */
export type Dependency = Name | MappedDependency;
/**
 * A partition mapping from this asset's partitions to upstream partitions, chosen by `kind`.
 */
export type Mapping = IdentityMapping | WindowMapping | AllMapping | LastMapping | DimensionMapping;
/**
 * What runs, chosen by `kind`.
 */
export type Step = CommandStep | SqlStep | HttpStep | NodeStep | WaitStep | ApprovalStep | PipelineStep;
/**
 * A data quality check run after each materialization, chosen by `kind`.
 */
export type Check = SqlCheck | CommandCheck | RowCountCheck | NotNullCheck | UniqueCheck;
/**
 * An SQL identifier: letters, digits, `_` and `$`, starting with a letter or `_`. Checked strictly because sugar checks build SQL from it.
 */
export type SqlIdentifier = string;
/**
 * Declarative automation: `eager` materializes whenever an upstream changes; `missing` fills partitions that were never materialized; `{ on_cron }` materializes on a cron once upstreams are up to date.
 */
export type Automation = ('eager' | 'missing') | CronAutomation;
/**
 * A name without dots: lowercase letters, digits and underscores, starting with a letter. At most 128 characters.
 */
export type SimpleName = string;
/**
 * Starts a pipeline when something happens, chosen by `kind`. Each event starts at most one run per `start.key`.
 */
export type Sensor = FileSensor | HttpSensor | AssetSensor | WebhookSensor;

/**
 * A Weir spec file: resources, pools, partitions, assets, pipelines, schedules and sensors. Every file of a project contributes to one namespace; names are unique across the project.
 */
export interface SpecFile {
  /**
   * Path or URL of this JSON Schema, for editors that read it from the document. Weir ignores it.
   */
  $schema?: string;
  /**
   * Connections steps use: databases, HTTP APIs, object stores. Usually declared in weir.yaml so environments can override them.
   */
  resources?: {
    [k: string]: Resource;
  };
  /**
   * Named concurrency limits shared by all runs: at most `limit` steps using a pool run at once.
   */
  pools?: {
    [k: string]: Pool;
  };
  /**
   * Shared partition definitions, referenced by name from assets and pipelines.
   */
  partitions?: {
    [k: string]: PartitionDefinition;
  };
  /**
   * Data assets: what they depend on, how they are produced, checked and kept fresh.
   */
  assets?: {
    [k: string]: Asset;
  };
  /**
   * Runnable units: an asset selection, or a DAG of tasks.
   */
  pipelines?: {
    [k: string]: Pipeline;
  };
  /**
   * Cron schedules that start pipelines.
   */
  schedules?: {
    [k: string]: Schedule;
  };
  /**
   * Event triggers that start pipelines: new files, HTTP conditions, asset materializations, webhooks.
   */
  sensors?: {
    [k: string]: Sensor;
  };
}
/**
 * A PostgreSQL database, used by `sql` steps and SQL checks.
 */
export interface PostgresResource {
  /**
   * A PostgreSQL database.
   */
  kind: 'postgres';
  /**
   * Connection URL, usually from the environment.
   */
  url: string;
  /**
   * What this database holds.
   */
  description?: string;
}
/**
 * An HTTP API, used by `http` steps: a base URL and headers shared by every request.
 */
export interface HttpResource {
  /**
   * An HTTP API.
   */
  kind: 'http';
  /**
   * URL that a step's `path` is relative to.
   */
  base_url: string;
  /**
   * Headers sent with every request, e.g. `Authorization: Bearer ${secret.TOKEN}`.
   */
  headers?: {
    /**
     * The header's value.
     */
    [k: string]: string;
  };
  /**
   * Timeout of one request.
   */
  timeout?: string;
  /**
   * What this API is.
   */
  description?: string;
}
/**
 * An S3-compatible bucket. Credentials come from the standard AWS environment of the worker.
 */
export interface S3Resource {
  /**
   * An S3-compatible bucket.
   */
  kind: 's3';
  /**
   * Bucket name.
   */
  bucket: string;
  /**
   * Region of the bucket.
   */
  region?: string;
  /**
   * Endpoint URL for S3-compatible stores (MinIO, R2, …).
   */
  endpoint?: string;
  /**
   * What this bucket holds.
   */
  description?: string;
}
/**
 * Any other system: free-form configuration for the steps and tools that read it.
 */
export interface GenericResource {
  /**
   * Free-form configuration.
   */
  kind: 'generic';
  /**
   * The configuration values; strings may use `${env.NAME}` and `${secret.NAME}`.
   */
  config?: {
    [k: string]: unknown;
  };
  /**
   * What this resource is.
   */
  description?: string;
}
/**
 * A concurrency limit shared across all runs: steps naming this pool wait for a free slot.
 */
export interface Pool {
  /**
   * Most steps using this pool that run at once.
   */
  limit: number;
  /**
   * What this pool protects.
   */
  description?: string;
}
/**
 * One partition per hour, day, week or month from `start` (to `end`, or up to now).
 */
export interface TimePartitions {
  /**
   * Partitions by time.
   */
  kind: 'time';
  /**
   * Length of one partition. Weeks start on Monday.
   */
  cadence: 'hourly' | 'daily' | 'weekly' | 'monthly';
  /**
   * Start of the first partition; must fall on a partition boundary (a Monday for weekly, the 1st for monthly).
   */
  start: string;
  /**
   * End (exclusive) of the last partition; without it partitions continue up to now.
   */
  end?: string;
  /**
   * Time zone the partition boundaries are in.
   */
  timezone?: string;
  /**
   * What the partitions represent.
   */
  description?: string;
}
/**
 * A fixed list of partition keys.
 */
export interface StaticPartitions {
  /**
   * A fixed list of keys.
   */
  kind: 'static';
  /**
   * The partition keys, each once.
   *
   * @minItems 1
   */
  keys: PartitionKey[];
  /**
   * What the partitions represent.
   */
  description?: string;
}
/**
 * The product of two or more other partition definitions; a key has one component per dimension.
 */
export interface MultiPartitions {
  /**
   * The product of other definitions.
   */
  kind: 'multi';
  /**
   * Names of the partition definitions combined, in key order; any number of dimensions.
   *
   * @minItems 2
   */
  dimensions: Name[];
  /**
   * What the partitions represent.
   */
  description?: string;
}
/**
 * Partition keys added at run time (by a sensor, the API or the console).
 */
export interface DynamicPartitions {
  /**
   * Keys added at run time.
   */
  kind: 'dynamic';
  /**
   * What the partitions represent.
   */
  description?: string;
}
/**
 * A data asset (a table, a file, a model…). An asset without a `step` is external: produced outside Weir and only observed.
 */
export interface Asset {
  /**
   * What this asset holds; shown in the console.
   */
  description?: string;
  /**
   * Group for selection (`group:<name>`) and display.
   */
  group?: string;
  /**
   * Who owns this asset: teams (`team:<name>`) or e-mail addresses.
   */
  owners?: Principal[];
  /**
   * Labels for selection (`tag:key=value`) and filtering.
   */
  tags?: {
    /**
     * The tag's value.
     */
    [k: string]: string;
  };
  /**
   * Free-form metadata shown in the console.
   */
  metadata?: {
    [k: string]: unknown;
  };
  /**
   * How this asset is partitioned: the name of a shared definition or an inline one. Absent: not partitioned.
   */
  partitions?: Name | PartitionDefinition;
  /**
   * Upstream assets. Default mapping: the same partition, or the overlapping time window.
   */
  deps?: Dependency[];
  step?: Step;
  retry?: Retry;
  /**
   * Longest one attempt of the step may run.
   */
  timeout?: string;
  /**
   * Pool whose slot the step holds while running.
   */
  pool?: string;
  /**
   * Data quality checks run after each materialization.
   */
  checks?: Check[];
  freshness?: Freshness;
  automation?: Automation;
}
/**
 * An upstream asset with an explicit partition mapping.
 */
export interface MappedDependency {
  /**
   * The upstream asset.
   */
  asset: string;
  mapping?: Mapping;
}
/**
 * Each partition reads the upstream partition with the same key.
 */
export interface IdentityMapping {
  /**
   * The same key.
   */
  kind: 'identity';
}
/**
 * Each partition reads a window of upstream time partitions, by offsets in upstream partitions relative to the last one it overlaps (e.g. `start: -6, end: 0` reads seven days).
 */
export interface WindowMapping {
  /**
   * A range of upstream time partitions.
   */
  kind: 'window';
  /**
   * Offset of the first upstream partition read; 0 or negative.
   */
  start: number;
  /**
   * Offset of the last upstream partition read; 0 or negative, not before `start`.
   */
  end?: number;
}
/**
 * Each partition reads every upstream partition.
 */
export interface AllMapping {
  /**
   * Every upstream partition.
   */
  kind: 'all';
}
/**
 * Each partition reads the latest upstream partition.
 */
export interface LastMapping {
  /**
   * The latest upstream partition.
   */
  kind: 'last';
}
/**
 * Maps a multi-partitioned asset onto an asset partitioned by one of its dimensions (in either direction).
 */
export interface DimensionMapping {
  /**
   * One dimension of a multi-partitioned asset.
   */
  kind: 'dimension';
  /**
   * The dimension (a partition definition named in `dimensions`) the two assets share.
   */
  dimension: string;
}
/**
 * Runs a process. Prefer `run` (an argv list: each `${…}` fills exactly one argument, so injection is impossible); `shell` is an explicit opt-in.
 */
export interface CommandStep {
  /**
   * Runs a process.
   */
  kind: 'command';
  /**
   * Program and arguments; no shell is involved.
   *
   * @minItems 1
   */
  run?: string[];
  /**
   * A command line run by `/bin/sh -c`. Expressions are passed as environment variables, never spliced into the text.
   */
  shell?: string;
  /**
   * Extra environment variables.
   */
  env?: {
    /**
     * The variable's value.
     */
    [k: string]: string;
  };
  /**
   * Working directory, relative to the project root.
   */
  cwd?: string;
}
/**
 * Runs SQL on a `postgres` resource; every `${…}` becomes a bind parameter.
 */
export interface SqlStep {
  /**
   * Runs SQL.
   */
  kind: 'sql';
  /**
   * The `postgres` resource to run on.
   */
  resource: string;
  /**
   * The SQL text.
   */
  query?: string;
  /**
   * A file holding the SQL, relative to the project root.
   */
  file?: string;
}
/**
 * Sends an HTTP request; `expect` says which statuses succeed, `poll` waits for an asynchronous API to finish.
 */
export interface HttpStep {
  /**
   * Sends an HTTP request.
   */
  kind: 'http';
  /**
   * An `http` resource whose base URL and headers apply.
   */
  resource?: string;
  /**
   * The HTTP method.
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /**
   * Absolute URL of the request.
   */
  url?: string;
  /**
   * Path relative to the resource's `base_url`.
   */
  path?: string;
  /**
   * Headers of this request, added to the resource's.
   */
  headers?: {
    /**
     * The header's value.
     */
    [k: string]: string;
  };
  /**
   * A JSON body; sets `Content-Type: application/json`.
   */
  json?: unknown;
  /**
   * A raw text body.
   */
  body?: string;
  expect?: HttpExpect;
  poll?: HttpPoll;
}
/**
 * What counts as a successful response.
 */
export interface HttpExpect {
  /**
   * Statuses that succeed.
   *
   * @minItems 1
   */
  status: number[];
}
/**
 * Polling of an asynchronous API, with durable timers between polls.
 */
export interface HttpPoll {
  /**
   * Wait between polls.
   */
  every?: string;
  /**
   * Give up (fail the step) after this long.
   */
  timeout?: string;
  until: HttpCondition;
}
/**
 * A condition on an HTTP response: its status, a value in its JSON body, or both.
 */
export interface HttpCondition {
  /**
   * The response has one of these statuses.
   *
   * @minItems 1
   */
  status?: number[];
  json?: JsonCondition;
}
/**
 * A value at a path of a JSON document compared with an expected value.
 */
export interface JsonCondition {
  /**
   * A JSONPath of names and indexes, e.g. `$.state` or `$.items[0].id`.
   */
  path: string;
  /**
   * The expected value (any JSON value).
   */
  equals: unknown;
}
/**
 * Calls an exported function of a JavaScript or TypeScript module of the project, in a child process.
 */
export interface NodeStep {
  /**
   * Calls a function of a module.
   */
  kind: 'node';
  /**
   * Path of the module, relative to the project root.
   */
  module: string;
  /**
   * Name of the exported function.
   */
  export?: string;
  /**
   * Arguments passed to the function as one object; strings may use `${…}`.
   */
  args?: {
    [k: string]: unknown;
  };
}
/**
 * Defers until a time, a file, an HTTP condition or an asset partition; no worker slot is held while waiting.
 */
export interface WaitStep {
  /**
   * Defers until a condition.
   */
  kind: 'wait';
  until: WaitCondition;
  /**
   * Wait between checks of the condition (not used for `time`).
   */
  every?: string;
  /**
   * Fail the step when the condition does not hold within this long.
   */
  timeout?: string;
}
/**
 * Exactly one of `time`, `file`, `http` or `asset` (with an optional `partition`).
 */
export interface WaitCondition {
  /**
   * An ISO 8601 date-time with offset, or an expression that renders to one.
   */
  time?: string;
  /**
   * A glob; the condition holds once a file matches.
   */
  file?: string;
  http?: WaitHttp;
  /**
   * An asset that must be materialized.
   */
  asset?: string;
  /**
   * Partition of `asset` to wait for (a key or an expression). Default: the same partition.
   */
  partition?: string;
}
/**
 * An HTTP endpoint polled until it answers with one of the statuses.
 */
export interface WaitHttp {
  /**
   * The URL polled with GET.
   */
  url: string;
  /**
   * Statuses that satisfy the condition.
   *
   * @minItems 1
   */
  status?: number[];
}
/**
 * A human gate: the run waits until someone approves or rejects it from the console or the API.
 */
export interface ApprovalStep {
  /**
   * A human gate.
   */
  kind: 'approval';
  /**
   * What the approver is asked; may use `${…}`.
   */
  message: string;
  /**
   * Who may answer: teams (`team:<name>`) or e-mail addresses. Default: any operator.
   *
   * @minItems 1
   */
  approvers?: Principal[];
  /**
   * Reject when nobody answers within this long.
   */
  timeout?: string;
}
/**
 * Starts a run of another pipeline and waits for it to finish.
 */
export interface PipelineStep {
  /**
   * A child run.
   */
  kind: 'pipeline';
  /**
   * The pipeline to run.
   */
  pipeline: string;
  /**
   * Values of the child pipeline's params; may use `${…}`.
   */
  params?: {
    [k: string]: unknown;
  };
  /**
   * Partition key of the child run (a key or an expression).
   */
  partition?: string;
}
/**
 * How a failed attempt is retried. Fields are layered one by one: project defaults → pipeline defaults → asset or task.
 */
export interface Retry {
  /**
   * Total attempts, including the first.
   */
  attempts?: number;
  /**
   * fixed: wait `initial` between attempts; exponential: double the wait each time, up to `max`.
   */
  backoff?: 'fixed' | 'exponential';
  /**
   * Wait before the first retry.
   */
  initial?: string;
  /**
   * Longest wait between two attempts.
   */
  max?: string;
  /**
   * Failures that are not retried: process exit codes, or error types reported by the step.
   */
  non_retryable?: (number | string)[];
}
/**
 * A query returning one row with a boolean column `passed`; other columns become metadata.
 */
export interface SqlCheck {
  /**
   * A query returning `passed`.
   */
  kind: 'sql';
  /**
   * Name of the check, unique on its asset.
   */
  name: string;
  /**
   * What a failure means.
   */
  severity?: 'error' | 'warn';
  /**
   * What this check verifies.
   */
  description?: string;
  /**
   * The `postgres` resource to run on.
   */
  resource: string;
  /**
   * The SQL text; every `${…}` becomes a bind parameter.
   */
  query?: string;
  /**
   * A file holding the SQL, relative to the project root.
   */
  file?: string;
}
/**
 * A process; exit status 0 passes. Metadata may be appended to `$WEIR_OUTPUT`.
 */
export interface CommandCheck {
  /**
   * A process that exits 0.
   */
  kind: 'command';
  /**
   * Name of the check, unique on its asset.
   */
  name: string;
  /**
   * What a failure means.
   */
  severity?: 'error' | 'warn';
  /**
   * What this check verifies.
   */
  description?: string;
  /**
   * Program and arguments; no shell is involved.
   *
   * @minItems 1
   */
  run?: string[];
  /**
   * A command line run by `/bin/sh -c` (explicit opt-in).
   */
  shell?: string;
  /**
   * Extra environment variables.
   */
  env?: {
    /**
     * The variable's value.
     */
    [k: string]: string;
  };
  /**
   * Working directory, relative to the project root.
   */
  cwd?: string;
}
/**
 * The table (or the rows matching `where`) has between `min` and `max` rows.
 */
export interface RowCountCheck {
  /**
   * Counts rows.
   */
  kind: 'row_count';
  /**
   * Name of the check, unique on its asset.
   */
  name: string;
  /**
   * What a failure means.
   */
  severity?: 'error' | 'warn';
  /**
   * What this check verifies.
   */
  description?: string;
  /**
   * The `postgres` resource holding the table.
   */
  resource: string;
  /**
   * The table counted.
   */
  table: string;
  /**
   * An SQL condition restricting the rows (e.g. to the partition); every `${…}` becomes a bind parameter.
   */
  where?: string;
  /**
   * Fewest rows that pass.
   */
  min?: number;
  /**
   * Most rows that pass.
   */
  max?: number;
}
/**
 * The columns hold no NULL (in the rows matching `where`).
 */
export interface NotNullCheck {
  /**
   * Columns without NULL.
   */
  kind: 'not_null';
  /**
   * Name of the check, unique on its asset.
   */
  name: string;
  /**
   * What a failure means.
   */
  severity?: 'error' | 'warn';
  /**
   * What this check verifies.
   */
  description?: string;
  /**
   * The `postgres` resource holding the table.
   */
  resource: string;
  /**
   * The table checked.
   */
  table: string;
  /**
   * Columns that must not be NULL.
   *
   * @minItems 1
   */
  columns: SqlIdentifier[];
  /**
   * An SQL condition restricting the rows; every `${…}` becomes a bind parameter.
   */
  where?: string;
}
/**
 * No two rows (matching `where`) share the same values in the columns.
 */
export interface UniqueCheck {
  /**
   * Unique column values.
   */
  kind: 'unique';
  /**
   * Name of the check, unique on its asset.
   */
  name: string;
  /**
   * What a failure means.
   */
  severity?: 'error' | 'warn';
  /**
   * What this check verifies.
   */
  description?: string;
  /**
   * The `postgres` resource holding the table.
   */
  resource: string;
  /**
   * The table checked.
   */
  table: string;
  /**
   * Columns whose combined values must be unique.
   *
   * @minItems 1
   */
  columns: SqlIdentifier[];
  /**
   * An SQL condition restricting the rows; every `${…}` becomes a bind parameter.
   */
  where?: string;
}
/**
 * A freshness policy: the asset is stale when its latest materialization is older than `max_lag`.
 */
export interface Freshness {
  /**
   * Oldest the latest materialization may be before the asset is stale (an error).
   */
  max_lag: string;
  /**
   * Age from which a warning is shown; not longer than `max_lag`.
   */
  warn?: string;
  /**
   * Evaluate only at these times (e.g. a deadline), instead of continuously.
   */
  cron?: string;
  /**
   * Time zone of `cron`.
   */
  timezone?: string;
}
/**
 * Materialize on a cron tick, once every upstream is up to date for the tick.
 */
export interface CronAutomation {
  /**
   * When to materialize.
   */
  on_cron: string;
  /**
   * Time zone of `on_cron`.
   */
  timezone?: string;
}
/**
 * A runnable unit: materializes an asset selection (`select`) or runs a DAG of tasks (`tasks`).
 */
export interface Pipeline {
  /**
   * What this pipeline does.
   */
  description?: string;
  /**
   * Asset selection: names, `+name` (with upstream), `name+` (with downstream), `group:`, `tag:k=v`, `owner:`, combined with `and`, `or`, `not` and parentheses.
   */
  select?: string;
  /**
   * Tasks by name (an Airflow-style DAG), instead of an asset selection.
   */
  tasks?: {
    [k: string]: Task;
  };
  /**
   * Typed inputs of a run, readable as `${params.<name>}`.
   */
  params?: {
    [k: string]: Param;
  };
  concurrency?: Concurrency;
  defaults?: Defaults;
  /**
   * Partitions of a task pipeline's runs. Asset pipelines take the partitions of their assets.
   */
  partitions?: Name | PartitionDefinition;
  /**
   * Most steps of one run in flight at once.
   */
  max_parallel?: number;
  /**
   * Labels for filtering runs.
   */
  tags?: {
    /**
     * The tag's value.
     */
    [k: string]: string;
  };
}
/**
 * One step of a task pipeline and the tasks it needs.
 */
export interface Task {
  step: Step;
  /**
   * Tasks that must succeed first; their outputs are readable as `${steps.<task>.outputs.<name>}`.
   */
  needs?: SimpleName[];
  retry?: Retry;
  /**
   * Longest one attempt may run.
   */
  timeout?: string;
  /**
   * Pool whose slot the task holds while running.
   */
  pool?: string;
  /**
   * What this task does.
   */
  description?: string;
}
/**
 * A typed input of a pipeline run.
 */
export interface Param {
  /**
   * Type of the value; `date` is `YYYY-MM-DD`; `enum` is one of `values`.
   */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'enum';
  /**
   * Value when the launcher gives none; a param without default is required.
   */
  default?: unknown;
  /**
   * Shown beside the input in the launch form.
   */
  description?: string;
  /**
   * Whether a value must be given. Default: true when there is no `default`.
   */
  required?: boolean;
  /**
   * The allowed values of an `enum` param.
   *
   * @minItems 1
   */
  values?: string[];
  /**
   * Smallest allowed value of a number or integer param.
   */
  min?: number;
  /**
   * Largest allowed value of a number or integer param.
   */
  max?: number;
}
/**
 * A limit on active runs of a pipeline, optionally per key.
 */
export interface Concurrency {
  /**
   * Most active runs (per key).
   */
  limit: number;
  /**
   * An expression grouping runs; the limit applies per value.
   */
  key?: string;
  /**
   * What happens to a run over the limit. queue: wait; cancel_new: cancel the new run; cancel_running: cancel the oldest active run; fail: fail the new run.
   */
  behavior?: 'queue' | 'cancel_new' | 'cancel_running' | 'fail';
}
/**
 * Defaults for steps, layered project → pipeline → asset or task; `weir explain` shows the result.
 */
export interface Defaults {
  retry?: Retry;
  /**
   * Default longest time one attempt may run.
   */
  timeout?: string;
}
/**
 * Starts a pipeline on a cron (a Temporal Schedule).
 */
export interface Schedule {
  /**
   * The pipeline started.
   */
  pipeline: string;
  /**
   * When to start it.
   */
  cron: string;
  /**
   * Time zone of `cron`.
   */
  timezone?: string;
  /**
   * Which partition a tick targets: `previous` (the last complete one), `current`, a key, or an expression.
   */
  partition?: string;
  /**
   * Values of the pipeline's params.
   */
  params?: {
    [k: string]: unknown;
  };
  /**
   * What a tick does while an earlier run is still active. skip: nothing; buffer_one: start after it (at most one waiting); buffer_all: start after it (all wait); cancel_other: cancel it; allow_all: start anyway.
   */
  overlap?: 'skip' | 'buffer_one' | 'buffer_all' | 'cancel_other' | 'allow_all';
  /**
   * Ticks missed while Weir was down are run if they are at most this old.
   */
  catchup?: string;
  /**
   * Random delay of up to this long for each tick, to spread load.
   */
  jitter?: string;
  /**
   * Deploy the schedule paused.
   */
  paused?: boolean;
  /**
   * What this schedule is for.
   */
  description?: string;
}
/**
 * Starts a run for each new file matching a glob.
 */
export interface FileSensor {
  /**
   * New files.
   */
  kind: 'file';
  /**
   * A glob of files to watch; the matched file is `${sensor.path}`.
   */
  path: string;
  /**
   * Wait between two looks.
   */
  every?: string;
  start: SensorStart;
  /**
   * What this sensor reacts to.
   */
  description?: string;
  /**
   * Deploy the sensor paused.
   */
  paused?: boolean;
}
/**
 * The run a sensor event starts.
 */
export interface SensorStart {
  /**
   * The pipeline started.
   */
  pipeline: string;
  /**
   * Values of the pipeline's params; may use `${sensor.*}`.
   */
  params?: {
    [k: string]: unknown;
  };
  /**
   * Partition key of the run (a key or an expression).
   */
  partition?: string;
  /**
   * An expression identifying the event; one run per distinct key, so a redelivered event never starts a second run.
   */
  key: string;
}
/**
 * Polls a URL and starts a run when the response matches `until`.
 */
export interface HttpSensor {
  /**
   * An HTTP condition.
   */
  kind: 'http';
  /**
   * The URL polled; the response is `${sensor.status}` and `${sensor.json}`.
   */
  url: string;
  /**
   * The HTTP method.
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /**
   * Headers of the request.
   */
  headers?: {
    /**
     * The header's value.
     */
    [k: string]: string;
  };
  until?: HttpCondition;
  /**
   * Wait between two polls.
   */
  every?: string;
  start: SensorStart;
  /**
   * What this sensor reacts to.
   */
  description?: string;
  /**
   * Deploy the sensor paused.
   */
  paused?: boolean;
}
/**
 * Starts a run when an asset (partition) is materialized.
 */
export interface AssetSensor {
  /**
   * Asset materializations.
   */
  kind: 'asset';
  /**
   * The asset watched; its partition is `${sensor.partition}`.
   */
  asset: string;
  /**
   * Only these partitions (keys or globs of keys). Default: every partition.
   *
   * @minItems 1
   */
  partitions?: string[];
  /**
   * Wait between two looks at new materializations.
   */
  every?: string;
  start: SensorStart;
  /**
   * What this sensor reacts to.
   */
  description?: string;
  /**
   * Deploy the sensor paused.
   */
  paused?: boolean;
}
/**
 * Starts a run when Weir's webhook URL for this sensor is called; the request body is `${sensor.body}`.
 */
export interface WebhookSensor {
  /**
   * A call to the webhook URL.
   */
  kind: 'webhook';
  /**
   * A secret the caller must send as a bearer token; only `${secret.NAME}`, so it never sits in the YAML.
   */
  token?: string;
  /**
   * Wait between two batches of received calls turned into runs.
   */
  every?: string;
  start: SensorStart;
  /**
   * What this sensor reacts to.
   */
  description?: string;
  /**
   * Deploy the sensor paused.
   */
  paused?: boolean;
}
/**
 * weir.yaml: the project's name, where its spec files are, defaults, resources, pools and environments. It may also declare every section of a spec file.
 */
export interface ProjectFile {
  /**
   * Path or URL of this JSON Schema, for editors that read it from the document. Weir ignores it.
   */
  $schema?: string;
  /**
   * Name of the project: lowercase letters, digits, `_`, `.` and `-`, starting with a letter or digit.
   */
  project: string;
  /**
   * Folders or globs, relative to the project root, holding the spec files (`*.yaml`).
   *
   * @minItems 1
   */
  specs?: string[];
  defaults?: Defaults;
  /**
   * Overlays selected with `--env` or `WEIR_ENV`, by name.
   */
  environments?: {
    [k: string]: Environment;
  };
  /**
   * Connections steps use: databases, HTTP APIs, object stores.
   */
  resources?: {
    [k: string]: Resource;
  };
  /**
   * Named concurrency limits shared by all runs: at most `limit` steps using a pool run at once.
   */
  pools?: {
    [k: string]: Pool;
  };
  /**
   * Shared partition definitions, referenced by name from assets and pipelines.
   */
  partitions?: {
    [k: string]: PartitionDefinition;
  };
  /**
   * Data assets: what they depend on, how they are produced, checked and kept fresh.
   */
  assets?: {
    [k: string]: Asset;
  };
  /**
   * Runnable units: an asset selection, or a DAG of tasks.
   */
  pipelines?: {
    [k: string]: Pipeline;
  };
  /**
   * Cron schedules that start pipelines.
   */
  schedules?: {
    [k: string]: Schedule;
  };
  /**
   * Event triggers that start pipelines: new files, HTTP conditions, asset materializations, webhooks.
   */
  sensors?: {
    [k: string]: Sensor;
  };
}
/**
 * What changes in one environment: resource fields, pool limits and defaults. Everything else is as declared.
 */
export interface Environment {
  /**
   * What this environment is.
   */
  description?: string;
  /**
   * Fields of declared resources to replace, by resource name; a resource's `kind` cannot change.
   */
  resources?: {
    [k: string]: ResourceOverlay;
  };
  /**
   * Limits of declared pools to replace, by pool name.
   */
  pools?: {
    [k: string]: PoolOverlay;
  };
  defaults?: Defaults;
}
/**
 * Resource fields replaced in one environment; objects (`headers`, `config`) merge key by key.
 */
export interface ResourceOverlay {
  /**
   * Connection URL of a `postgres` resource.
   */
  url?: string;
  /**
   * Base URL of an `http` resource.
   */
  base_url?: string;
  /**
   * Headers of an `http` resource.
   */
  headers?: {
    /**
     * The header's value.
     */
    [k: string]: string;
  };
  /**
   * Request timeout of an `http` resource.
   */
  timeout?: string;
  /**
   * Bucket of an `s3` resource.
   */
  bucket?: string;
  /**
   * Region of an `s3` resource.
   */
  region?: string;
  /**
   * Endpoint of an `s3` resource.
   */
  endpoint?: string;
  /**
   * Configuration of a `generic` resource.
   */
  config?: {
    [k: string]: unknown;
  };
  /**
   * Description of the resource in this environment.
   */
  description?: string;
}
/**
 * A pool's limit in one environment.
 */
export interface PoolOverlay {
  /**
   * Most steps using this pool that run at once, in this environment.
   */
  limit: number;
}
