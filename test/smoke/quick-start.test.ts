// The README's quick start, as a user runs it: `npm run dev` starts the platform with the example
// project, a pipeline of the example runs to success, and Ctrl-C/SIGTERM stops everything cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;
const project = mkdtempSync(join(tmpdir(), 'weir-quick-start-'));
chmodSync(project, 0o755);
cpSync(join(repo, 'pipelines'), project, { recursive: true, filter: (src) => !src.includes('/.weir') });

const dev = spawn('npm', ['run', 'dev', '--', '--project', project], { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
dev.stdout.on('data', (d) => (stdout += d));
dev.stderr.on('data', (d) => (stderr += d));
const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));

afterAll(() => {
  try {
    process.kill(-dev.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
});

it('starts the platform, runs an example pipeline and stops cleanly', async () => {
  const deadline = Date.now() + 120_000;
  while (!/Weir is ready: http:\/\/127\.0\.0\.1:\d+/.test(stdout)) {
    if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`weir dev did not become ready:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(stdout.match(/Weir is ready/g)).toHaveLength(1);
  expect(existsSync(join(project, '.weir/dev.json'))).toBe(true);

  const run = spawnSync(process.execPath, [join(repo, 'runtime/cli/weir.mjs'), 'run', 'bootstrap_warehouse', '--project', project], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toMatch(/succeeded\s+create_tables/);
  expect(run.stderr).toMatch(/run \S+ succeeded/);
  expect(run.status).toBe(0);

  const shown = spawnSync(process.execPath, [join(repo, 'runtime/cli/weir.mjs'), 'runs', 'show', run.stdout.trim(), '--project', project, '--format', 'json'], { encoding: 'utf8' });
  const details = JSON.parse(shown.stdout);
  expect(details).toMatchObject({ id: run.stdout.trim(), status: 'succeeded', pipeline: 'bootstrap_warehouse', partition: null });
  expect(details.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`).sort()).toEqual(['create_tables:succeeded', 'seed_reference_data:succeeded']);

  // A second `weir dev` on the same project refuses clearly instead of sharing the database.
  const second = spawnSync(process.execPath, [join(repo, 'runtime/cli/weir.mjs'), 'dev', '--project', project], { encoding: 'utf8', timeout: 30_000 });
  expect(second.stderr + second.stdout).toContain('weir dev is already running for this project');
  expect(second.status).toBe(2);
  expect(second.stderr).toContain('weir dev is already running for this project');

  // Ctrl-C in a terminal signals the whole foreground process group: npm and weir dev alike.
  process.kill(-dev.pid!, 'SIGTERM');
  await exited;
  let leftovers = 'unknown';
  for (let i = 0; i < 150; i++) {
    leftovers = spawnSync('pgrep', ['-f', project], { encoding: 'utf8' }).stdout.trim();
    if (leftovers === '' && !existsSync(join(project, '.weir/dev.json'))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(leftovers, 'processes of the stack still running').toBe('');
  expect(existsSync(join(project, '.weir/dev.json'))).toBe(false);
  expect(stderr).toContain('weir dev: stopping');
}, 180_000);
