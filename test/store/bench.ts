// Measures the store against the design targets: `npx tsx test/store/bench.ts`. Not part of the
// test suite (timings are not assertions); prints one JSON line of figures.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../runtime/dev/postgres.ts';
import { connect } from '../../runtime/store/db.ts';
import { appendEvents, listEvents, type NewEvent } from '../../runtime/store/events.ts';
import { migrate } from '../../runtime/store/migrate.ts';
import { listRuns, type RunFilter } from '../../runtime/store/runs.ts';

const EVENTS = 100_000;
const EVENT_BATCH = 500;
const RUNS = 100_000;
const QUERIES = 300;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeQueries(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

const dir = await mkdtemp(join(tmpdir(), 'weir-bench-pg-'));
await chmod(dir, 0o755);
// Durable settings (fsync on): the figures are what `weir dev` gets, not the test clusters.
const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data') });
const sql = connect(server.url);
try {
  await migrate(sql);
  const pipelines = ['daily', 'hourly', 'backfill', 'ingest', 'report'];
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'running', 'cancelled'];
  // 100k runs spread over 100 days, inserted in bulk (setup, not measured).
  await sql`
    insert into runs (id, project, pipeline, status, partition, plan_hash, trigger, created_at)
    select 'run-' || g, 'demo', (${sql.array(pipelines)}::text[])[1 + g % 5], (${sql.array(statuses)}::text[])[1 + g % 6],
           to_char(date '2024-01-01' + (g % 365), 'YYYY-MM-DD'), 'h', '{"kind":"schedule"}',
           now() - (g * interval '86 seconds')
    from generate_series(1, ${RUNS}) g`;
  await sql`analyze runs`;

  // 100k events for 20 runs, appended in batches the way a worker flushes logs.
  const runIds = Array.from({ length: 20 }, (_, i) => `run-${i + 1}`);
  const events: NewEvent[] = Array.from({ length: EVENTS }, (_, n) => ({
    runId: runIds[n % runIds.length]!,
    key: `log:step:1:stdout:${n}`,
    step: 'step',
    attempt: 1,
    kind: 'log',
    level: n % 50 === 0 ? 'warn' : 'info',
    message: `processed record ${n} of the input file`,
    data: n % 10 === 0 ? { n, offset: n * 128 } : null,
  }));
  let start = performance.now();
  for (let i = 0; i < events.length; i += EVENT_BATCH) await appendEvents(sql, events.slice(i, i + EVENT_BATCH));
  const insertMs = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < events.length; i += EVENT_BATCH) await appendEvents(sql, events.slice(i, i + EVENT_BATCH));
  const replayMs = performance.now() - start;
  await sql`analyze events`;

  const filters: [string, RunFilter][] = [
    ['none', {}],
    ['pipeline', { pipeline: 'hourly' }],
    ['status', { status: 'failed' }],
    ['pipeline+status', { pipeline: 'daily', status: 'failed' }],
    ['partition', { partition: '2024-03-15' }],
    ['since/until', { since: new Date(Date.now() - 30 * 86_400_000), until: new Date(Date.now() - 20 * 86_400_000) }],
  ];
  const listRunsFigures: Record<string, { p50: number; p99: number }> = {};
  for (const [name, filter] of filters) {
    // Alternate first pages and deep pages (reached by following cursors) so both are measured.
    const cursors: (string | null)[] = [null];
    let page = await listRuns(sql, { ...filter, limit: 50 });
    for (let i = 0; i < 20 && page.nextCursor; i++) {
      cursors.push(page.nextCursor);
      page = await listRuns(sql, { ...filter, limit: 50, cursor: page.nextCursor });
    }
    listRunsFigures[name] = await timeQueries((i) => listRuns(sql, { ...filter, limit: 50, cursor: cursors[i % cursors.length] ?? null }));
  }
  const listEventsFigure = await timeQueries((i) => listEvents(sql, runIds[i % 20]!, { afterId: (i * 997) % EVENTS, limit: 500 }));
  const listEventsWarn = await timeQueries((i) => listEvents(sql, runIds[i % 20]!, { level: 'warn', limit: 200 }));

  console.log(JSON.stringify({
    eventsInserted: EVENTS,
    eventBatch: EVENT_BATCH,
    insertMs: Math.round(insertMs),
    eventsPerSecond: Math.round(EVENTS / (insertMs / 1000)),
    replayAllDuplicatesMs: Math.round(replayMs),
    runs: RUNS,
    listRunsMs: listRunsFigures,
    listEvents500Ms: listEventsFigure,
    listEventsWarnMs: listEventsWarn,
  }, null, 1));
} finally {
  await sql.end();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
