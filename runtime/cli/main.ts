// The `weir` command line: parses arguments and hands each subcommand to its module.
import { Command, CommanderError, Option } from 'commander';
import { FORMATS } from '../spec/render.ts';
import { validateCommand } from './validate.ts';
import { explainCommand } from './explain.ts';
import { schemaCommand } from './schema.ts';
import { planCommand } from './plan.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

function program(): Command {
  const weir = new Command('weir')
    .description('Declarative data pipelines: validate, plan and run assets, partitions and checks declared in YAML.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run `weir help` for usage)');

  weir
    .command('validate')
    .description('Check a project: every problem with file:line:col. Exit 0 clean (warnings allowed), 1 errors, 2 usage.')
    .argument('[dir]', 'project folder (holding weir.yaml)', '.')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('human'))
    .option('--env <name>', 'environment overlay to apply (default: $WEIR_ENV)')
    .option('--watch', 'validate again whenever a spec file changes')
    .action(validateCommand);

  weir
    .command('explain')
    .description('Print the effective configuration of an asset, pipeline, task, schedule, sensor, resource or partition definition.')
    .argument('<name>', 'the name to explain (`pipeline.task` for a task)')
    .option('--project <dir>', 'project folder', '.')
    .option('--env <name>', 'environment overlay to apply (default: $WEIR_ENV)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(explainCommand);

  weir
    .command('plan')
    .description('Show what changes between another git revision and the working tree: added, removed and changed things, and every downstream asset affected.')
    .option('--project <dir>', 'project folder', '.')
    .option('--base <ref>', 'git revision to compare against', 'HEAD')
    .option('--env <name>', 'environment overlay to apply (default: $WEIR_ENV)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .action(planCommand);

  weir
    .command('schema')
    .description('Print where the JSON Schemas live (for editor setup), or one schema with --print.')
    .addOption(new Option('--print <which>', 'print a schema').choices(['project', 'spec']))
    .action(schemaCommand);

  return weir;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other parse failure is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`weir: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
