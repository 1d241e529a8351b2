import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { httpStep } from '../../runtime/steps/http.ts';
import { StepError } from '../../runtime/steps/step-context.ts';
import type { HttpStep } from '../../runtime/spec/generated/types.ts';
import type { Values } from '../../runtime/spec/expressions.ts';
import { testContext } from './context.ts';
import type { TestContext } from './context.ts';
import { sendJson, startServer } from './servers.ts';
import type { TestServer } from './servers.ts';

let server: TestServer;
let t: TestContext | undefined;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
let jobPolls = 0;

beforeAll(async () => {
  server = await startServer((req, res, body) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.url === '/jobs/7') {
      jobPolls++;
      return sendJson(res, 200, { job: { state: jobPolls >= 3 ? 'done' : 'running', id: 7 } });
    }
    if (req.url === '/created') return sendJson(res, 201, { id: 'abc' });
    if (req.url === '/missing') return sendJson(res, 404, { error: 'no such thing' });
    if (req.url === '/busy') return sendJson(res, 503, {});
    if (req.url === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('plain words');
    }
    sendJson(res, 200, { echo: body === '' ? null : JSON.parse(body) });
  });
});
afterAll(() => server?.close());
afterEach(() => {
  seen.length = 0;
  return t?.close();
});

function run(spec: Omit<HttpStep, 'kind'>, values: Values = {}) {
  t = testContext({
    values,
    resources: { api: { kind: 'http', base_url: `${server.url}/`, headers: { Authorization: 'Bearer ${secret.TOKEN}' }, timeout: '5s' } },
  });
  return httpStep.execute(t.ctx, { kind: 'http', ...spec });
}

describe('http steps', () => {
  test('join base_url and path, send rendered resource and step headers and a JSON body', async () => {
    const report = await run(
      { resource: 'api', method: 'POST', path: '/load', headers: { 'X-Day': '${partition.key}' }, json: { day: '${partition.key}', limit: '${params.n}' } },
      { partition: { key: '2026-03-01' }, params: { n: 5 }, secrets: { TOKEN: 't0k' } },
    );
    const request = seen[0]!;
    expect(request).toMatchObject({ method: 'POST', url: '/load', headers: { authorization: 'Bearer t0k', 'x-day': '2026-03-01', 'content-type': 'application/json' } });
    expect(JSON.parse(request.body)).toEqual({ day: '2026-03-01', limit: 5 });
    expect(report.outputs).toEqual({ status: 200, json: { echo: { day: '2026-03-01', limit: 5 } } });
    expect(report.metadata).toMatchObject({ method: 'POST', status: 200, body_preview: { echo: { day: '2026-03-01', limit: 5 } } });
    expect(report.metadata.url).toBe(`${server.url}/load`);
    expect(report.metadata.duration_ms).toBeTypeOf('number');
  });

  test('poll until a JSON value holds, heartbeating between polls', async () => {
    jobPolls = 0;
    const report = await run({ url: `${server.url}/jobs/7`, poll: { every: '20ms', timeout: '5s', until: { json: { path: '$.job.state', equals: 'done' } } } });
    expect(report.metadata).toMatchObject({ status: 200, polls: 3 });
    expect(report.outputs.json).toEqual({ job: { state: 'done', id: 7 } });
    expect(t!.heartbeats.length).toBeGreaterThanOrEqual(2);
  });

  test('give up polling after `timeout`, not retryable', async () => {
    jobPolls = -1_000;
    const error = await run({ url: `${server.url}/jobs/7`, poll: { every: '20ms', timeout: '100ms', until: { json: { path: "$['job'].state", equals: 'done' } } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toMatch(/the condition did not hold within 100ms \(\d+ polls, last status 200\)$/);
    expect((error as StepError).retryable).toBe(false);
  });

  test('accept the statuses of `expect`, and fail on others with the body', async () => {
    expect((await run({ url: `${server.url}/missing`, expect: { status: [404] } })).outputs.status).toBe(404);
    const error = await run({ resource: 'api', path: 'missing' }, { secrets: { TOKEN: 'x' } }).catch((e: unknown) => e);
    expect((error as StepError).message).toBe(`GET ${server.url}/missing answered 404: {"error":"no such thing"}`);
    expect((error as StepError).retryable).toBe(false);
  });

  test('retry server errors and unreachable hosts', async () => {
    const busy = await run({ url: `${server.url}/busy` }).catch((e: unknown) => e);
    expect((busy as StepError).retryable).toBe(true);
    const down = await run({ url: 'http://127.0.0.1:1/' }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(StepError);
    expect((down as StepError).retryable).toBe(true);
  });

  test('report a non-JSON response without a body preview', async () => {
    const report = await run({ url: `${server.url}/text` });
    expect(report.outputs).toEqual({ status: 200 });
    expect(report.metadata).toMatchObject({ status: 200, bytes: 11 });
    expect(report.metadata).not.toHaveProperty('body_preview');
  });
});
