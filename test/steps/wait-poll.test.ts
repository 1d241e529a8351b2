import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StepError } from '../../runtime/steps/step-context.ts';
import { pollWait } from '../../runtime/steps/wait-poll.ts';
import { tempProject, testContext } from './context.ts';
import type { TestContextOptions } from './context.ts';
import { sendJson, startServer } from './servers.ts';
import type { TestServer } from './servers.ts';

let root: string;
let server: TestServer;
let ready = false;

beforeAll(async () => {
  [root, server] = await Promise.all([tempProject(), startServer((_req, res) => sendJson(res, ready ? 200 : 404, {}))]);
});
afterAll(() => server?.close());

const ctx = (opts: TestContextOptions = {}) => testContext({ projectRoot: root, values: { partition: { key: '2026-03-01' } }, ...opts }).ctx;

describe('wait polls', () => {
  test('`time` is done once the instant has passed', async () => {
    expect((await pollWait(ctx(), { time: '2000-01-01T00:00:00Z' })).done).toBe(true);
    expect(await pollWait(ctx(), { time: '2999-01-01T00:00:00Z' })).toEqual({ done: false, detail: 'waiting until 2999-01-01T00:00:00Z' });
    await expect(pollWait(ctx(), { time: 'tomorrow' })).rejects.toThrow(StepError);
  });

  test('`file` is done once a file under the project matches the rendered glob', async () => {
    const until = { file: 'landing/**/${partition.key}*.csv' };
    expect((await pollWait(ctx(), until)).done).toBe(false);
    await mkdir(path.join(root, 'landing', 'eu'), { recursive: true });
    await writeFile(path.join(root, 'landing', 'eu', '2026-03-01-orders.csv'), 'a,b\n');
    expect(await pollWait(ctx(), until)).toEqual({ done: true, detail: `found ${path.join(root, 'landing/eu/2026-03-01-orders.csv')}` });
    expect((await pollWait(ctx(), { file: path.join(root, 'landing', '*', '*.csv') })).done).toBe(true);
    await expect(pollWait(ctx(), { file: '../elsewhere/*.csv' })).rejects.toThrow('file glob `../elsewhere` is outside the project');
  });

  test('`http` is done when the URL answers an expected status, and only waits while it is down', async () => {
    ready = false;
    expect(await pollWait(ctx(), { http: { url: `${server.url}/ready` } })).toEqual({ done: false, detail: `${server.url}/ready answered 404` });
    expect((await pollWait(ctx(), { http: { url: `${server.url}/ready`, status: [404] } })).done).toBe(true);
    ready = true;
    expect((await pollWait(ctx(), { http: { url: `${server.url}/ready` } })).done).toBe(true);
    expect((await pollWait(ctx(), { http: { url: 'http://127.0.0.1:1/' } })).done).toBe(false);
  });

  test("`asset` asks the store, for the run's partition unless one is given", async () => {
    const asked: [string, string | null][] = [];
    const isMaterialized = async (asset: string, partition: string | null) => (asked.push([asset, partition]), partition === '2026-03-01');
    expect(await pollWait(ctx({ isMaterialized }), { asset: 'orders' })).toEqual({ done: true, detail: '`orders` partition 2026-03-01 is materialized' });
    expect((await pollWait(ctx({ isMaterialized }), { asset: 'orders', partition: '2026-02-28' })).done).toBe(false);
    expect(asked).toEqual([['orders', '2026-03-01'], ['orders', '2026-02-28']]);
    await expect(pollWait(ctx(), { asset: 'orders' })).rejects.toThrow(/cannot look up materializations/);
  });

  test('refuse a condition with more than one kind', async () => {
    await expect(pollWait(ctx(), { time: '2000-01-01T00:00:00Z', file: '*.csv' })).rejects.toThrow('`until` needs exactly one of `time`, `file`, `http` and `asset`');
  });
});
