import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRun,
  finishRun,
  getRun,
  InvalidCursorError,
  listRuns,
  markRunStarted,
  type NewRun,
  type RunRow,
} from '../../runtime/store/runs.ts';
import { startTestDatabase, type TestDatabase } from './pg.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
});

afterAll(async () => {
  await db?.stop();
});

function newRun(id: string, extra: Partial<NewRun> = {}): NewRun {
  return { id, project: 'demo', pipeline: 'daily', planHash: 'h1', trigger: { kind: 'manual', by: 'ada' }, ...extra };
}

describe('createRun', () => {
  it('creates one row when a launch is retried with the same id', async () => {
    const first = await createRun(db.sql, newRun('r-idem', { params: { day: '2024-01-01' }, partition: '2024-01-01' }));
    const second = await createRun(db.sql, newRun('r-idem', { pipeline: 'other' }));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.run).toEqual(first.run);
    expect(first.run).toMatchObject({
      status: 'queued',
      pipeline: 'daily',
      partition: '2024-01-01',
      params: { day: '2024-01-01' },
      planHash: 'h1',
      trigger: { kind: 'manual', by: 'ada' },
      parentRunId: null,
      retryOf: null,
    });
    const [count] = await db.sql`select count(*) as n from runs where id = 'r-idem'`;
    expect(count?.['n']).toBe(1);
  });

  it('keeps jsonb keys exactly as given (no camel-casing inside params)', async () => {
    const { run } = await createRun(db.sql, newRun('r-keys', { params: { row_count: 3, list: [1, 2] } }));
    expect(run.params).toEqual({ row_count: 3, list: [1, 2] });
  });
});

describe('run status', () => {
  it('moves queued → running → succeeded once, ignoring replays', async () => {
    await createRun(db.sql, newRun('r-life'));
    expect(await markRunStarted(db.sql, 'r-life')).toBe(true);
    const started = await getRun(db.sql, 'r-life');
    expect(await markRunStarted(db.sql, 'r-life')).toBe(false);
    expect(await finishRun(db.sql, 'r-life', 'succeeded')).toBe(true);
    expect(await finishRun(db.sql, 'r-life', 'failed', 'late replay')).toBe(false);
    const run = await getRun(db.sql, 'r-life');
    expect(run?.status).toBe('succeeded');
    expect(run?.error).toBeNull();
    expect(run?.startedAt).toEqual(started?.startedAt);
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it('records the error of a failed run', async () => {
    await createRun(db.sql, newRun('r-fail'));
    await markRunStarted(db.sql, 'r-fail');
    await finishRun(db.sql, 'r-fail', 'failed', 'step extract failed');
    expect(await getRun(db.sql, 'r-fail')).toMatchObject({ status: 'failed', error: 'step extract failed' });
  });

  it('returns null for an unknown run', async () => {
    expect(await getRun(db.sql, 'nope')).toBeNull();
  });
});

describe('listRuns', () => {
  const project = 'paging';
  let all: RunRow[];

  beforeAll(async () => {
    // Created in batches inside transactions, so many runs share one created_at and order falls to id.
    for (let batch = 0; batch < 5; batch++) {
      await db.sql.begin(async (tx) => {
        for (let i = 0; i < 47; i++) {
          const n = batch * 47 + i;
          await createRun(tx, newRun(`p-${String(n).padStart(4, '0')}`, {
            project,
            pipeline: n % 3 === 0 ? 'hourly' : 'daily',
            partition: `2024-01-${String((n % 7) + 1).padStart(2, '0')}`,
          }));
        }
      });
    }
    await db.sql`update runs set status = 'failed' where project = ${project} and right(id, 1) in ('1', '5')`;
    all = await db.sql<RunRow[]>`select * from runs order by created_at desc, id desc`;
  });

  async function collect(filter: Parameters<typeof listRuns>[1]): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listRuns(db.sql, { ...filter, cursor });
      ids.push(...page.runs.map((run) => run.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { ids, pages };
  }

  it('returns every run exactly once across pages, newest first', async () => {
    const { ids, pages } = await collect({ limit: 20 });
    expect(ids).toEqual(all.map((run) => run.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(all.length / 20));
  });

  it('pages a filtered list completely and only with matching runs', async () => {
    const { ids } = await collect({ pipeline: 'hourly', status: 'failed', limit: 7 });
    const expected = all.filter((run) => run.pipeline === 'hourly' && run.status === 'failed').map((run) => run.id);
    expect(expected.length).toBeGreaterThan(7);
    expect(ids).toEqual(expected);
  });

  it('filters by partition', async () => {
    const { ids } = await collect({ partition: '2024-01-03', limit: 9 });
    expect(ids).toEqual(all.filter((run) => run.partition === '2024-01-03').map((run) => run.id));
  });

  it('filters by a created_at window: since inclusive, until exclusive', async () => {
    const times = [...new Set(all.map((run) => run.createdAt.getTime()))].sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(3);
    const since = new Date(times[1]!);
    const until = new Date(times[times.length - 1]!);
    const { ids } = await collect({ since, until, limit: 25 });
    expect(ids).toEqual(all.filter((run) => run.createdAt >= since && run.createdAt < until).map((run) => run.id));
  });

  it('returns no cursor on the last page', async () => {
    const page = await listRuns(db.sql, { pipeline: 'no-such-pipeline' });
    expect(page).toEqual({ runs: [], nextCursor: null });
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(listRuns(db.sql, { cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
