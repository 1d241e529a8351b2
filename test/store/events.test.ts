import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendEvents, listEvents, type NewEvent } from '../../runtime/store/events.ts';
import { createRun } from '../../runtime/store/runs.ts';
import { startTestDatabase, type TestDatabase } from './pg.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  for (const id of ['e1', 'e2', 'e3', 'e4']) {
    await createRun(db.sql, { id, project: 'demo', pipeline: 'p', planHash: 'h', trigger: { kind: 'manual' } });
  }
});

afterAll(async () => {
  await db?.stop();
});

function logLine(runId: string, n: number, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    runId, key: `log:extract:1:stdout:${n}`, step: 'extract', attempt: 1,
    kind: 'log', level: 'info', message: `line ${n}`, ...extra,
  };
}

it('appends a replayed batch only once', async () => {
  const batch = [0, 1, 2].map((n) => logLine('e1', n, { data: { n, nested_key: { a: [1] } } }));
  expect(await appendEvents(db.sql, batch)).toBe(3);
  expect(await appendEvents(db.sql, batch)).toBe(0);
  expect(await appendEvents(db.sql, [...batch, logLine('e1', 3)])).toBe(1);
  const events = await listEvents(db.sql, 'e1');
  expect(events.map((e) => e.key)).toEqual([0, 1, 2, 3].map((n) => `log:extract:1:stdout:${n}`));
  expect(events[0]?.data).toEqual({ n: 0, nested_key: { a: [1] } });
});

it('keeps each run in append order across batches larger than one statement', async () => {
  const a = Array.from({ length: 2500 }, (_, n) => logLine('e2', n));
  const b = Array.from({ length: 300 }, (_, n) => logLine('e3', n));
  // Interleave runs within a batch: each run must still read back in its own order.
  const mixed = a.flatMap((event, n) => (b[n] ? [event, b[n]] : [event]));
  expect(await appendEvents(db.sql, mixed)).toBe(2800);
  const read: string[] = [];
  let afterId = 0;
  for (;;) {
    const page = await listEvents(db.sql, 'e2', { afterId, limit: 700 });
    if (page.length === 0) break;
    read.push(...page.map((e) => e.message));
    afterId = page[page.length - 1]!.id;
  }
  expect(read).toEqual(a.map((e) => e.message));
  expect((await listEvents(db.sql, 'e3', { limit: 5000 })).map((e) => e.message)).toEqual(b.map((e) => e.message));
});

it('filters by minimum level, step and message text', async () => {
  await appendEvents(db.sql, [
    { runId: 'e4', key: 'a', step: 'x', kind: 'log', level: 'debug', message: 'debugging' },
    { runId: 'e4', key: 'b', step: 'x', kind: 'log', level: 'warn', message: 'disk 90% full' },
    { runId: 'e4', key: 'c', step: 'y', kind: 'state', level: 'error', message: 'step y failed' },
    { runId: 'e4', key: 'd', step: 'y', kind: 'log', level: 'info', message: 'disk 9 full' },
  ]);
  expect((await listEvents(db.sql, 'e4', { level: 'warn' })).map((e) => e.key)).toEqual(['b', 'c']);
  expect((await listEvents(db.sql, 'e4', { step: 'y' })).map((e) => e.key)).toEqual(['c', 'd']);
  // `%` in the search text is a literal character, not a wildcard.
  expect((await listEvents(db.sql, 'e4', { text: '90%' })).map((e) => e.key)).toEqual(['b']);
  expect((await listEvents(db.sql, 'e4', { text: 'DISK' })).map((e) => e.key)).toEqual(['b', 'd']);
});
