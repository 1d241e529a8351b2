// Every activity step kind passes the same tests: success, typed failure, cancellation, timeout,
// secret redaction and the output size limit (Hono's router/common.case.test.ts idea).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { executeStep } from '../../runtime/steps/registry.ts';
import type { ActivityStep } from '../../runtime/steps/registry.ts';
import { StepCancelledError, StepError } from '../../runtime/steps/step-context.ts';
import type { LogLine } from '../../runtime/steps/step-context.ts';
import { processGone, tempProject, testContext, until } from './context.ts';
import type { TestContextOptions } from './context.ts';
import { startPostgres } from './pg.ts';
import type { TestPostgres } from './pg.ts';
import { sendJson, startServer } from './servers.ts';
import type { TestServer } from './servers.ts';

const CANARY = 'canary-5f3e9a1c-secret';
const KINDS = ['command', 'sql', 'http', 'node'] as const;
type Kind = (typeof KINDS)[number];

interface KindCase {
  ok: ActivityStep;
  fail: ActivityStep;
  failRetryable: boolean;
  long: ActivityStep;
  /** Resolves once the long spec is under way (its process printed its pids, the server saw the request). */
  started(logs: LogLine[]): Promise<void>;
  /** Processes the long spec started, read from its log, that must be gone after a stop. */
  pids(logs: LogLine[]): number[];
  /** Fails while showing the secret in its output and error. */
  leaky: ActivityStep;
  /** Reports more than 1,000 bytes. */
  big: ActivityStep;
}

let pg: TestPostgres;
let server: TestServer;
let projectRoot: string;
let slowRequests = 0;
const cases = {} as Record<Kind, KindCase>;

const pidsFromLogs = (logs: LogLine[]): number[] => {
  const line = logs.find((l) => l.message.startsWith('pids '));
  return line ? line.message.slice(5).split(' ').map(Number) : [];
};
const printedPids = (logs: LogLine[]): Promise<void> => until(() => pidsFromLogs(logs).length === 2);

beforeAll(async () => {
  [pg, server, projectRoot] = await Promise.all([
    startPostgres(),
    startServer((req, res) => {
      if (req.url === '/ok') return sendJson(res, 200, { ok: true });
      if (req.url === '/fail') return sendJson(res, 503, { error: 'unavailable' });
      if (req.url === '/slow') return void slowRequests++; // never answers
      if (req.url === '/echo') return sendJson(res, 500, { got: req.headers['x-token'] });
      if (req.url === '/big') return sendJson(res, 200, { data: 'x'.repeat(5_000) });
      sendJson(res, 404, {});
    }),
    tempProject(),
  ]);
  await Promise.all([
    writeFile(path.join(projectRoot, 'ok.mjs'), 'export default async () => ({ metadata: { rows: 3 }, outputs: { path: "out.csv" } });\n'),
    writeFile(path.join(projectRoot, 'fail.mjs'), 'export default async () => { throw new Error("the upstream file is missing"); };\n'),
    writeFile(
      path.join(projectRoot, 'long.mjs'),
      'import { spawn } from "node:child_process";\n' +
        'export default async ({ log }) => { const c = spawn("sleep", ["30"], { stdio: "ignore" }); log(`pids ${process.pid} ${c.pid}`); await new Promise((r) => setTimeout(r, 30000)); };\n',
    ),
    writeFile(path.join(projectRoot, 'leak.mjs'), 'export default async ({ args, log }) => { log(`token=${args.token}`); console.error(args.token); throw new Error(`bad ${args.token}`); };\n'),
    writeFile(path.join(projectRoot, 'big.mjs'), 'export default async () => ({ outputs: { data: "x".repeat(5000) } });\n'),
  ]);
  cases.command = {
    ok: { kind: 'command', run: ['sh', '-c', 'echo hello; echo \'{"metadata":{"rows":3}}\' >> "$WEIR_OUTPUT"'] },
    fail: { kind: 'command', run: ['sh', '-c', 'echo broken >&2; exit 2'] },
    failRetryable: true,
    long: { kind: 'command', run: ['sh', '-c', 'sleep 30 & echo "pids $$ $!"; wait'] },
    started: printedPids,
    pids: pidsFromLogs,
    leaky: { kind: 'command', run: ['sh', '-c', 'echo "token=$0"; echo "token=$0" >&2; exit 3', '${secret.TOKEN}'] },
    big: { kind: 'command', run: ['sh', '-c', 'printf \'{"outputs":{"data":"%s"}}\\n\' "$(head -c 5000 /dev/zero | tr "\\0" x)" >> "$WEIR_OUTPUT"'] },
  };
  cases.sql = {
    ok: { kind: 'sql', resource: 'db', query: 'select 1 as one' },
    fail: { kind: 'sql', resource: 'db', query: 'select * from no_such_table' },
    failRetryable: false,
    long: { kind: 'sql', resource: 'db', query: 'select pg_sleep(30)' },
    started: () => new Promise((r) => setTimeout(r, 300)),
    pids: () => [],
    leaky: { kind: 'sql', resource: 'db', query: 'select ${secret.TOKEN}::int' },
    big: { kind: 'sql', resource: 'db', query: "select repeat('x', 5000) as data" },
  };
  cases.http = {
    ok: { kind: 'http', resource: 'api', path: '/ok' },
    fail: { kind: 'http', resource: 'api', path: '/fail' },
    failRetryable: true,
    long: { kind: 'http', resource: 'api', path: '/slow' },
    started: () => {
      const before = slowRequests;
      return until(() => slowRequests > before);
    },
    pids: () => [],
    leaky: { kind: 'http', resource: 'api', path: '/echo' },
    big: { kind: 'http', resource: 'api', path: '/big' },
  };
  cases.node = {
    ok: { kind: 'node', module: 'ok.mjs' },
    fail: { kind: 'node', module: 'fail.mjs' },
    failRetryable: true,
    long: { kind: 'node', module: 'long.mjs' },
    started: printedPids,
    pids: pidsFromLogs,
    leaky: { kind: 'node', module: 'leak.mjs', args: { token: '${secret.TOKEN}' } },
    big: { kind: 'node', module: 'big.mjs' },
  };
}, 60_000);

afterAll(async () => {
  await Promise.all([pg?.stop(), server?.close()]);
});

function context(opts: TestContextOptions = {}) {
  return testContext({
    projectRoot,
    values: { secrets: { TOKEN: CANARY }, params: {} },
    resources: {
      db: { kind: 'postgres', url: pg.url },
      api: { kind: 'http', base_url: server.url, headers: { 'x-token': '${secret.TOKEN}' } },
    },
    ...opts,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the step to fail'),
    (error: unknown) => error,
  );
}

describe.each(KINDS)('%s steps', (kind) => {
  test('succeed with metadata and outputs objects', async () => {
    const t = context();
    try {
      const report = await executeStep(t.ctx, cases[kind].ok);
      expect(report.metadata).toBeTypeOf('object');
      expect(report.outputs).toBeTypeOf('object');
      expect(Object.keys(report.metadata).length).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  test('fail with a StepError that says whether a retry may help', async () => {
    const t = context();
    try {
      const error = await failure(executeStep(t.ctx, cases[kind].fail));
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).retryable).toBe(cases[kind].failRetryable);
    } finally {
      await t.close();
    }
  });

  test('stop within 3 s when cancelled, leaving no process behind', async () => {
    const t = context();
    try {
      const running = failure(executeStep(t.ctx, cases[kind].long));
      await cases[kind].started(t.logs);
      const pids = cases[kind].pids(t.logs);
      const started = performance.now();
      t.controller.abort();
      const error = await running;
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(StepCancelledError);
      expect((error as StepCancelledError).reason).toBe('cancelled');
      await until(() => pids.every(processGone), 1_000);
      for (const pid of pids) expect(processGone(pid)).toBe(true);
    } finally {
      await t.close();
    }
  });

  test('stop within 3 s when the signal times out', async () => {
    const t = context({ signal: AbortSignal.timeout(500) });
    try {
      const started = performance.now();
      const error = await failure(executeStep(t.ctx, cases[kind].long));
      expect(performance.now() - started).toBeLessThan(3_500);
      expect(error).toBeInstanceOf(StepCancelledError);
      expect((error as StepCancelledError).reason).toBe('timeout');
    } finally {
      await t.close();
    }
  });

  test('never let a secret reach a log line or an error', async () => {
    const t = context();
    try {
      const error = (await failure(executeStep(t.ctx, cases[kind].leaky))) as StepError;
      expect(error).toBeInstanceOf(StepError);
      const seen = [error.message, String(error.stack), String((error.cause as Error | undefined)?.message), ...t.logs.map((l) => l.message)].join('\n');
      expect(seen).not.toContain(CANARY);
      expect(seen).toContain('***'); // the secret did reach the output, and was masked
    } finally {
      await t.close();
    }
  });

  test('fail with a StepError when metadata and outputs exceed the limit', async () => {
    const t = context({ outputLimitBytes: 1_000 });
    try {
      const error = await failure(executeStep(t.ctx, cases[kind].big));
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).message).toMatch(/more than the limit of 1000/);
      expect((error as StepError).retryable).toBe(false);
    } finally {
      await t.close();
    }
  });
});
