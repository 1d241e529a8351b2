// Runs on the real Temporal dev server with state in real PostgreSQL: the behaviours of issue 3.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveStep, cancelRun, retryRun } from '../../runtime/engine/runs-client.ts';
import { RunRequestError } from '../../runtime/engine/run-request.ts';
import { addDynamicKeys } from '../../runtime/store/partitions.ts';
import { getRun } from '../../runtime/store/runs.ts';
import { listChecksOfRun, listMaterializationsOfRun } from '../../runtime/store/run-details.ts';
import { listSteps } from '../../runtime/store/steps.ts';
import { testStack, WEIR_YAML, type TestStack } from './runs-helpers.ts';

const SPECS = `
partitions:
  daily: { kind: time, cadence: daily, start: "2026-01-01" }
  region: { kind: static, keys: [us, eu] }
  daily_region: { kind: multi, dimensions: [daily, region] }
  merchant: { kind: dynamic }
assets:
  regional_sales:
    partitions: daily_region
    step:
      kind: command
      run: [node, -e, "require('fs').appendFileSync(process.env.WEIR_OUTPUT, JSON.stringify({metadata: {day: process.argv[1], region: process.argv[2], start: process.argv[3]}}) + '\\\\n')", "\${partition.keys.daily}", "\${partition.keys.region}", "\${partition.start}"]
  merchant_feed:
    partitions: merchant
    step: { kind: command, run: [node, -e, "require('fs').appendFileSync(process.env.WEIR_OUTPUT, JSON.stringify({metadata: {merchant: process.argv[1]}}) + '\\\\n')", "\${partition.key}"] }
  extract:
    step:
      kind: command
      run: [node, -e, "require('fs').appendFileSync(process.env.WEIR_OUTPUT, JSON.stringify({metadata: {rows: 42}, outputs: {path: '/tmp/x.csv'}}) + '\\\\n'); console.log('extracted')"]
  transform:
    deps: [extract]
    step: { kind: command, run: [node, -e, "console.log(process.argv[1])", "\${steps.extract.outputs.path}"] }
  daily_sales:
    partitions: daily
    step:
      kind: command
      run: [node, -e, "require('fs').appendFileSync(process.env.WEIR_OUTPUT, JSON.stringify({metadata: {day: process.argv[1]}}) + '\\\\n')", "\${partition.key}"]
  flaky:
    retry: { attempts: 3, backoff: fixed, initial: 100ms, max: 100ms }
    step: { kind: command, run: [node, scripts/flaky.mjs] }
  broken:
    retry: { attempts: 1 }
    step: { kind: command, run: [node, -e, "console.error('no such table: orders'); process.exit(3)"] }
  after_broken:
    deps: [broken]
    step: { kind: command, run: [node, -e, "0"] }
  slow:
    timeout: 1s
    retry: { attempts: 1 }
    step: { kind: command, run: [node, -e, "setTimeout(() => {}, 60000)"] }
  long_running:
    retry: { attempts: 1 }
    step: { kind: command, run: [node, scripts/write-pid.mjs] }
  checked:
    step: { kind: command, run: [node, -e, "0"] }
    checks:
      - { name: never_passes, kind: command, run: [node, -e, "process.exit(1)"], severity: error }
      - { name: just_a_warning, kind: command, run: [node, -e, "process.exit(1)"], severity: warn }
  consumer:
    deps: [checked]
    step: { kind: command, run: [node, -e, "0"] }
  retried_first:
    step: { kind: command, run: [node, -e, "require('fs').appendFileSync('count', 'x')"] }
  retried_second:
    deps: [retried_first]
    retry: { attempts: 1 }
    step: { kind: command, run: [node, scripts/fail-unless-fixed.mjs] }
  secretive:
    step: { kind: command, run: [node, -e, "console.log('token is ' + process.argv[1])", "\${secret.CANARY}"] }
pipelines:
  chain: { select: "extract or transform" }
  daily: { select: daily_sales }
  flaky_pipeline: { select: flaky }
  broken_pipeline: { select: "broken or after_broken" }
  slow_pipeline: { select: slow }
  long_pipeline: { select: long_running }
  checked_pipeline: { select: "checked or consumer" }
  retry_pipeline: { select: "retried_first or retried_second" }
  secret_pipeline: { select: secretive }
  regional: { select: regional_sales }
  merchants: { select: merchant_feed }
  parent:
    tasks:
      run_chain: { step: { kind: pipeline, pipeline: chain } }
      after: { needs: [run_chain], step: { kind: command, run: [node, -e, "console.log(process.argv[1])", "\${steps.run_chain.outputs.run_id}"] } }
  gated:
    tasks:
      prepare: { step: { kind: command, run: [node, -e, "0"] } }
      sign_off:
        needs: [prepare]
        step: { kind: approval, message: Publish the numbers?, timeout: 5m }
      publish:
        needs: [sign_off]
        step: { kind: command, run: [node, -e, "0"] }
  waiting:
    tasks:
      wait_for_file:
        step: { kind: wait, until: { file: inbox/ready.flag }, every: 200ms, timeout: 1m }
      load:
        needs: [wait_for_file]
        step: { kind: command, run: [node, -e, "0"] }
`;

const FLAKY = `import { existsSync, writeFileSync } from 'node:fs';
const marker = 'flaky.marker'; // relative to the project folder, the step's working directory
if (!existsSync(marker)) { writeFileSync(marker, '1'); console.error('transient failure'); process.exit(1); }
console.log('ok on a later attempt');
`;

const WRITE_PID = `import { writeFileSync } from 'node:fs';
writeFileSync('pid', String(process.pid));
setTimeout(() => {}, 120000);
`;

const FAIL_UNLESS_FIXED = `import { existsSync } from 'node:fs';
if (!existsSync('fixed')) { console.error('bug not fixed yet'); process.exit(1); }
`;

describe('runs on Temporal with state in PostgreSQL', () => {
  let s: TestStack;
  let dir: string;
  beforeAll(async () => {
    s = await testStack(
      { 'weir.yaml': WEIR_YAML, 'specs/main.yaml': SPECS, 'scripts/flaky.mjs': FLAKY, 'scripts/write-pid.mjs': WRITE_PID, 'scripts/fail-unless-fixed.mjs': FAIL_UNLESS_FIXED },
      { secrets: { CANARY: 'canary-8f3a91d2' } },
    );
    dir = s.root;
  });
  afterAll(async () => s?.close());

  // Steps run in the project folder, so the scripts' marker files live there.

  it('runs a chain, records metadata, outputs and materializations, and passes outputs downstream', async () => {
    const run = await s.run('chain');
    expect(run.status).toBe('succeeded');
    const steps = await listSteps(s.sql, run.id);
    const extract = steps.find((x) => x.name === 'extract')!;
    expect(extract).toMatchObject({ status: 'succeeded', attempts: 1, metadata: { rows: 42 }, outputs: { path: '/tmp/x.csv' } });
    expect(steps.find((x) => x.name === 'transform')!.status).toBe('succeeded');
    const logs = await s.sql<{ message: string }[]>`select message from events where run_id = ${run.id} and step = 'transform' and kind = 'log'`;
    expect(logs.map((l) => l.message)).toContain('/tmp/x.csv');
    const mats = await listMaterializationsOfRun(s.sql, run.id);
    expect(mats.map((m) => m.asset).sort()).toEqual(['extract', 'transform']);
    expect(mats.find((m) => m.asset === 'extract')!.fingerprint).toBe(s.plan.assets.extract!.fingerprint);
  });

  it('targets one partition: the key reaches the step and the materialization', async () => {
    const run = await s.run('daily', { partition: '2026-03-01' });
    expect(run).toMatchObject({ status: 'succeeded', partition: '2026-03-01' });
    const [mat] = await listMaterializationsOfRun(s.sql, run.id);
    expect(mat).toMatchObject({ asset: 'daily_sales', partition: '2026-03-01', metadata: { day: '2026-03-01' } });
  });

  it('retries a flaky step and then succeeds', async () => {
    const run = await s.run('flaky_pipeline');
    expect(run.status).toBe('succeeded');
    const [step] = await listSteps(s.sql, run.id);
    expect(step!.attempts).toBe(2);
    expect(step!.attemptHistory.map((a) => a.status)).toEqual(['failed', 'succeeded']);
  });

  it('fails a step with the last lines of stderr and skips its dependents', async () => {
    const run = await s.run('broken_pipeline');
    expect(run.status).toBe('failed');
    const steps = await listSteps(s.sql, run.id);
    const broken = steps.find((x) => x.name === 'broken')!;
    expect(broken.status).toBe('failed');
    expect(broken.error).toContain('no such table: orders');
    expect(broken.attemptHistory[0]!.exitCode).toBe(3);
    expect(steps.find((x) => x.name === 'after_broken')).toMatchObject({ status: 'skipped' });
  });

  it('fails a step that runs past its timeout', async () => {
    const started = Date.now();
    const run = await s.run('slow_pipeline');
    expect(run.status).toBe('failed');
    expect(Date.now() - started).toBeLessThan(20_000);
    const [step] = await listSteps(s.sql, run.id);
    expect(step!.status).toBe('failed');
  });

  it('cancels a run and kills the step’s process', async () => {
    const pidFile = join(dir, 'pid');
    const runId = await s.start('long_pipeline');
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await cancelRun(s.rc, runId);
    const run = await s.wait(runId);
    expect(run.status).toBe('cancelled');
    const [step] = await listSteps(s.sql, runId);
    expect(step!.status).toBe('cancelled');
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });

  it('a failed error check blocks the downstream consumer; a warn check only records', async () => {
    const run = await s.run('checked_pipeline');
    expect(run.status).toBe('failed');
    const steps = await listSteps(s.sql, run.id);
    expect(steps.find((x) => x.name === 'checked')!.status).toBe('succeeded');
    expect(steps.find((x) => x.name === 'consumer')!.status).toBe('skipped');
    const checks = await listChecksOfRun(s.sql, run.id);
    expect(checks.map((c) => [c.checkName, c.passed, c.severity]).sort()).toEqual([
      ['just_a_warning', false, 'warn'],
      ['never_passes', false, 'error'],
    ]);
  });

  it('retry from failure reruns only the failed and skipped steps', async () => {
    const first = await s.run('retry_pipeline');
    expect(first.status).toBe('failed');
    await writeFile(join(dir, 'fixed'), 'yes');
    const input = await retryRun(s.rc, s.plan, first.id, 'test');
    const second = await s.wait(input.runId);
    expect(second.status).toBe('succeeded');
    expect(second.retryOf).toBe(first.id);
    // retried_first ran once in all (its side effect happened once); retried_second ran again.
    expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('x');
    const steps = await listSteps(s.sql, second.id);
    expect(steps.find((x) => x.name === 'retried_first')!.attemptHistory).toEqual([]);
    expect(steps.find((x) => x.name === 'retried_second')!.attemptHistory.map((a) => a.status)).toEqual(['succeeded']);
  });

  it('waits at an approval until someone approves', async () => {
    const runId = await s.start('gated');
    for (let i = 0; i < 100; i++) {
      const steps = await listSteps(s.sql, runId);
      if (steps.find((x) => x.name === 'prepare')?.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let approved = false;
    for (let i = 0; i < 50 && !approved; i++) {
      approved = await approveStep(s.rc, runId, 'sign_off', true, 'alice').then(
        () => true,
        () => new Promise((r) => setTimeout(() => r(false), 100)),
      ) as boolean;
    }
    expect(approved).toBe(true);
    const run = await s.wait(runId);
    expect(run.status).toBe('succeeded');
    const events = await s.sql<{ message: string }[]>`select message from events where run_id = ${runId} and kind = 'approval' order by id`;
    expect(events.map((e) => e.message)).toEqual(['waiting for approval', 'approved by alice']);
  });

  it('waits for a file to appear without failing, then continues', async () => {
    const runId = await s.start('waiting');
    await new Promise((r) => setTimeout(r, 800));
    expect((await listSteps(s.sql, runId)).find((x) => x.name === 'load')?.status ?? 'pending').toBe('pending');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'inbox'), { recursive: true }));
    await writeFile(join(dir, 'inbox/ready.flag'), '');
    const run = await s.wait(runId);
    expect(run.status).toBe('succeeded');
  });

  it('never lets a secret reach any table', async () => {
    const run = await s.run('secret_pipeline');
    expect(run.status).toBe('succeeded');
    const logs = await s.sql<{ message: string }[]>`select message from events where run_id = ${run.id} and kind = 'log'`;
    expect(logs.map((l) => l.message)).toContain('token is ***');
    const tables = await s.sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public'`;
    for (const { tablename } of tables) {
      const [hit] = await s.sql`select count(*)::int as n from ${s.sql(tablename)} t where t::text like ${'%canary-8f3a91d2%'}`;
      expect(hit!.n, `secret found in ${tablename}`).toBe(0);
    }
  });

  it('targets one key of a multi-dimensional partition', async () => {
    const run = await s.run('regional', { partition: '2026-03-01|eu' });
    expect(run).toMatchObject({ status: 'succeeded', partition: '2026-03-01|eu' });
    const [mat] = await listMaterializationsOfRun(s.sql, run.id);
    expect(mat).toMatchObject({ partition: '2026-03-01|eu', metadata: { day: '2026-03-01', region: 'eu', start: '2026-03-01T00:00:00+00:00' } });
  });

  it('refuses a partition key that is not a key of the definition', async () => {
    await expect(s.start('regional', { partition: '2026-03-01|asia' })).rejects.toThrow(RunRequestError);
  });

  it('accepts a dynamic partition key only once it has been added', async () => {
    await expect(s.start('merchants', { partition: 'acme' })).rejects.toThrow(/has not been added to the dynamic partitions `merchant`/);
    await addDynamicKeys(s.sql, 'merchant', ['acme']);
    const run = await s.run('merchants', { partition: 'acme' });
    expect(run.status).toBe('succeeded');
  });

  it('runs another pipeline as a child run and waits for it', async () => {
    const run = await s.run('parent');
    expect(run.status).toBe('succeeded');
    const child = await getRun(s.sql, `${run.id}.run_chain`);
    expect(child).toMatchObject({ status: 'succeeded', pipeline: 'chain', parentRunId: run.id });
    const logs = await s.sql<{ message: string }[]>`select message from events where run_id = ${run.id} and step = 'after' and kind = 'log'`;
    expect(logs.map((l) => l.message)).toEqual([`${run.id}.run_chain`]);
  });
});
