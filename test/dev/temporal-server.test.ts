import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../runtime/dev/postgres.ts';
import { findTemporalCli } from '../../runtime/dev/temporal-cli.ts';
import { devServerArgs, startTemporalDevServer, TUNED_DYNAMIC_CONFIG } from '../../runtime/dev/temporal-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'weir-temporal-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function requireCli(): string {
  const cli = findTemporalCli();
  if (!cli) throw new Error('no Temporal CLI: run `npx tsx runtime/dev/install-tools.ts` (npm install does) or set TEMPORAL_CLI');
  return cli;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('devServerArgs', () => {
  it('passes every tuned dynamic config key as a JSON value and keeps state in the data folder', () => {
    const args = devServerArgs({ dataDir: '/data', port: 7000, uiPort: 8000, namespace: 'weir' });
    expect(args.slice(0, 4)).toEqual(['server', 'start-dev', '--db-filename', '/data/temporal.db']);
    expect(args).toContain('history.transferProcessorMaxPollRPS=10000');
    expect(args).toContain('system.enableActivityEagerExecution=true');
    const values = args.filter((_, i) => args[i - 1] === '--dynamic-config-value');
    expect(values).toHaveLength(Object.keys(TUNED_DYNAMIC_CONFIG).length);
    expect(args.join(' ')).toContain('--port 7000 --ui-port 8000 --namespace weir');
  });

  it('leaves the dev server defaults alone when given an empty dynamic config', () => {
    const args = devServerArgs({ dataDir: '/data', port: 1, uiPort: 2, namespace: 'weir', dynamicConfig: {} });
    expect(args).not.toContain('--dynamic-config-value');
  });
});

describe('startTemporalDevServer', () => {
  it('serves the namespace and the web UI, and stop() leaves no process behind', async () => {
    const server = await startTemporalDevServer({ cli: requireCli(), dataDir: join(dir, 'ok'), namespace: 'weir-test' });
    try {
      const connection = await Connection.connect({ address: server.address });
      const described = await connection.workflowService.describeNamespace({ namespace: 'weir-test' });
      await connection.close();
      expect(described.namespaceInfo?.name).toBe('weir-test');
      const ui = await fetch(server.uiUrl);
      expect(ui.status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(groupAlive(server.pid)).toBe(false);
  });

  it('reports the server output when the server cannot start', async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, '127.0.0.1');
    try {
      await expect(
        startTemporalDevServer({ cli: requireCli(), dataDir: join(dir, 'busy'), port, readyTimeoutMs: 20_000 }),
      ).rejects.toThrow(new RegExp(`did not become ready: the server exited[\\s\\S]*last server output:[\\s\\S]*${port}`));
    } finally {
      squatter.close();
    }
  });

  it('reports a server that dies after it was ready, with its last output', async () => {
    let reported: Error | undefined;
    const server = await startTemporalDevServer({
      cli: requireCli(),
      dataDir: join(dir, 'dies'),
      onUnexpectedExit: (error) => (reported = error),
    });
    process.kill(-server.pid, 'SIGKILL');
    expect(await until(() => reported !== undefined, 10_000)).toBe(true);
    expect(reported?.message).toMatch(/the Temporal dev server .* stopped unexpectedly \(signal SIGKILL\)/);
    await server.stop();
  });

  it('stops the server when the process that started it is killed with SIGKILL', async () => {
    const script = [
      `import { startTemporalDevServer } from ${JSON.stringify(new URL('../../runtime/dev/temporal-server.ts', import.meta.url).pathname)};`,
      `const server = await startTemporalDevServer({ cli: ${JSON.stringify(requireCli())}, dataDir: ${JSON.stringify(join(dir, 'orphan'))} });`,
      'console.log(server.pid);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect(groupAlive(pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await until(() => !groupAlive(pid), 10_000)).toBe(true);
  });
});
