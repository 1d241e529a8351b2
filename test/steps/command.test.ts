import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { commandStep } from '../../runtime/steps/command.ts';
import { StepError } from '../../runtime/steps/step-context.ts';
import type { Values } from '../../runtime/spec/expressions.ts';
import { tempProject, testContext } from './context.ts';
import type { TestContext } from './context.ts';

const HOSTILE = `a b "c" 'd'; touch pwned; $(touch pwned2) \`touch pwned3\` | > out`;
let t: TestContext | undefined;
afterEach(() => t?.close());

async function setup(values: Values = {}): Promise<{ t: TestContext; root: string }> {
  const root = await tempProject();
  t = testContext({ projectRoot: root, values });
  return { t, root };
}
const stdout = (c: TestContext): string[] => c.logs.filter((l) => l.stream === 'stdout').map((l) => l.message);

describe('command steps', () => {
  test('pass a value with spaces, quotes, `;` and `$(…)` as exactly one argument', async () => {
    const { t, root } = await setup({ params: { v: HOSTILE } });
    await commandStep.execute(t.ctx, { kind: 'command', run: ['printf', '<%s>\\n', '${params.v}', 'x${params.v}x'] });
    expect(stdout(t)).toEqual([`<${HOSTILE}>`, `<x${HOSTILE}x>`]);
    expect(existsSync(path.join(root, 'pwned'))).toBe(false);
  });

  test('in `shell`, never let the shell parse a value, quoted or not', async () => {
    const { t, root } = await setup({ params: { v: HOSTILE } });
    await commandStep.execute(t.ctx, { kind: 'command', shell: `echo \${params.v}; echo "dq \${params.v}"; echo 'sq \${params.v}' && echo plain` });
    expect(stdout(t)).toEqual([HOSTILE, `dq ${HOSTILE}`, `sq ${HOSTILE}`, 'plain']);
    for (const f of ['pwned', 'pwned2', 'pwned3', 'out']) expect(existsSync(path.join(root, f))).toBe(false);
  });

  test("give the process PATH, HOME, the spec's env and the step's identity, not the worker's environment", async () => {
    const { t } = await setup({ partition: { key: '2026-03-01' }, env: { REGION: 'eu' } });
    process.env.WEIR_TEST_WORKER_SECRET = 'leaked';
    try {
      await commandStep.execute(t.ctx, { kind: 'command', run: ['env'], env: { TARGET: 'dw-${env.REGION}' } });
    } finally {
      delete process.env.WEIR_TEST_WORKER_SECRET;
    }
    const env = Object.fromEntries(stdout(t).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env).toMatchObject({ TARGET: 'dw-eu', WEIR_RUN_ID: 'run-test', WEIR_STEP: 'step-test', WEIR_PARTITION_KEY: '2026-03-01', PATH: process.env.PATH });
    expect(env.WEIR_OUTPUT).toMatch(/output\.jsonl$/);
    expect(env.WEIR_TEST_WORKER_SECRET).toBeUndefined();
  });

  test('merge $WEIR_OUTPUT lines in order into metadata and outputs', async () => {
    const { t } = await setup();
    const report = await commandStep.execute(t.ctx, {
      kind: 'command',
      shell: `echo '{"metadata":{"rows":1,"file":"a"}}' >> "$WEIR_OUTPUT"; echo '{"metadata":{"rows":2},"outputs":{"path":"p"}}' >> "$WEIR_OUTPUT"`,
    });
    expect(report).toEqual({ metadata: { rows: 2, file: 'a' }, outputs: { path: 'p' } });
  });

  test('name the $WEIR_OUTPUT line that is not JSON', async () => {
    const { t } = await setup();
    const error = await commandStep.execute(t.ctx, { kind: 'command', shell: `echo '{"metadata":{}}' >> "$WEIR_OUTPUT"; echo 'rows=3' >> "$WEIR_OUTPUT"` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toMatch(/^line 2 of \$WEIR_OUTPUT is not JSON/);
  });

  test('report a non-zero exit with its code and the last 20 lines of stderr, retryable', async () => {
    const { t } = await setup();
    const error = await commandStep.execute(t.ctx, { kind: 'command', shell: 'for i in $(seq 1 30); do echo "err $i" >&2; done; exit 7' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    const e = error as StepError;
    expect(e.exitCode).toBe(7);
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/^the command exited with code 7\nlast lines of stderr:\nerr 11\n/);
    expect(e.message).toMatch(/err 30$/);
    expect(e.message).not.toMatch(/err 10\n/);
  });

  test('run in a cwd inside the project and refuse one outside it', async () => {
    const { t, root } = await setup();
    await mkdir(path.join(root, 'sub'));
    await commandStep.execute(t.ctx, { kind: 'command', run: ['pwd'], cwd: 'sub' });
    expect(stdout(t)).toEqual([path.join(root, 'sub')]);
    const error = await commandStep.execute(t.ctx, { kind: 'command', run: ['pwd'], cwd: '../..' }).catch((e: unknown) => e);
    expect((error as StepError).message).toBe('cwd `../..` is outside the project');
  });

  test('stream multi-byte UTF-8 intact and split very long lines', async () => {
    const { t, root } = await setup();
    await writeFile(path.join(root, 'long.txt'), `${'é'.repeat(10_000)}\nsecond\n`);
    await commandStep.execute(t.ctx, { kind: 'command', run: ['cat', 'long.txt'] });
    const lines = stdout(t);
    expect(lines.join('')).toBe(`${'é'.repeat(10_000)}second`);
    expect(lines.length).toBe(3);
    expect(lines.every((l) => l.length <= 8192)).toBe(true);
  });

  test('fail clearly, not retryable, when the program does not exist', async () => {
    const { t } = await setup();
    const error = await commandStep.execute(t.ctx, { kind: 'command', run: ['no-such-program-weir'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toBe('program `no-such-program-weir` was not found');
    expect((error as StepError).retryable).toBe(false);
  });

  test('heartbeat while the process runs', async () => {
    const { t } = await setup();
    await commandStep.execute(t.ctx, { kind: 'command', run: ['true'] });
    expect(t.heartbeats.length).toBeGreaterThan(0);
  });
});
