// Builds the StepContext a worker gives a step: logs to the event log (batched, redacted, keyed per
// attempt so a replay writes nothing twice), Temporal heartbeats and cancellation, pooled SQL clients.
import { Context } from '@temporalio/activity';
import postgres from 'postgres';
import { renderString, type Values } from '../spec/expressions.ts';
import { createRedactor, secretsOf, type Redactor } from '../steps/redact-log.ts';
import type { StepContext } from '../steps/step-context.ts';
import type { Sql } from '../store/db.ts';
import { appendEvents, type EventLevel, type NewEvent } from '../store/events.ts';
import type { RunScope } from './activity-types.ts';

/** What a worker knows that workflows must not: the project's files, environment and secrets. */
export interface WorkerEnvironment {
  sql: Sql;
  projectRoot: string;
  env: Record<string, string | undefined>;
  secrets: Record<string, string>;
  /** Clients for `postgres` resources, by rendered URL, shared by all steps of this worker. */
  resourcePools: Map<string, postgres.Sql>;
  outputLimitBytes: number;
}

export interface OpenedContext {
  ctx: StepContext;
  redactor: Redactor;
  /** Appends an event for this attempt; `id` makes its key (default: a running sequence number). */
  event(kind: string, level: EventLevel, message: string, data?: Record<string, unknown>, id?: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const FLUSH_EVERY_MS = 250;
const FLUSH_AT_LINES = 200;

export function openStepContext(env: WorkerEnvironment, scope: RunScope & { node: { name: string } }, attempt: number, values: Values): OpenedContext {
  const redactor = createRedactor(secretsOf(values));
  const step = scope.node.name;
  const activity = Context.current();
  let seq = 0;
  let pending: NewEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    writing = writing.then(() => appendEvents(env.sql, batch).then(() => undefined));
    return writing;
  };
  const timer = setInterval(() => void flush().catch(() => undefined), FLUSH_EVERY_MS);
  const event: OpenedContext['event'] = (kind, level, message, data, id) => {
    pending.push({
      runId: scope.runId,
      step,
      attempt,
      key: `${kind}:${step}:${attempt}:${id ?? seq++}`,
      kind,
      level,
      message: redactor.redact(message),
      data: data ? redactor.redactJson(data) : null,
      ts: new Date(),
    });
    if (pending.length >= FLUSH_AT_LINES) void flush().catch(() => undefined);
  };
  const ctx: StepContext = {
    runId: scope.runId,
    step,
    attempt,
    projectRoot: env.projectRoot,
    values,
    resources: scope.resources,
    signal: activity.cancellationSignal,
    log: (line) => event('log', line.level, line.message, line.stream ? { stream: line.stream } : undefined),
    heartbeat: (details) => activity.heartbeat(details),
    sql(name) {
      const url = scope.resources[name]?.url;
      if (typeof url !== 'string') throw new Error(`resource ${name} has no url`);
      const rendered = renderString(url, values);
      redactor.add(rendered.secrets);
      let client = env.resourcePools.get(rendered.value);
      if (!client) {
        client = postgres(rendered.value, { max: 4, onnotice: () => {}, idle_timeout: 60 });
        env.resourcePools.set(rendered.value, client);
      }
      return client;
    },
    outputLimitBytes: env.outputLimitBytes,
    isMaterialized: async (asset, partition) => {
      const rows = await env.sql`
        select 1 from asset_partitions
        where asset = ${asset} and partition = ${partition ?? ''} and status = 'materialized'`;
      return rows.length > 0;
    },
  };
  return {
    ctx,
    redactor,
    event,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
