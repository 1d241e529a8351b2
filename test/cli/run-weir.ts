// Runs the built `weir` command as a user would, capturing its output and exit status.
import { spawnSync } from 'node:child_process';

const bin = new URL('../../runtime/cli/weir.mjs', import.meta.url).pathname;

export interface WeirResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function weir(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): WeirResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', WEIR_ENV: '', ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
