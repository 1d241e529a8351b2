// `weir deploy`, `weir worker` and `weir partitions add`: the production-side commands.
import { deployPlan } from '../engine/deploy.ts';
import { startWorker } from '../engine/worker.ts';
import { publicEnv, secretsFromEnv } from '../dev/secrets.ts';
import { addDynamicKeys } from '../store/partitions.ts';
import { compileProject } from './project.ts';
import { connectStack, resolveStack } from './stack.ts';
import { reconcileAfterDeploy } from './reconcile.ts';
import { UsageError } from './usage-error.ts';

export async function deployCommand(opts: { project: string; env?: string; dryRun?: boolean }): Promise<void> {
  const { root, checked, plan, referenced } = await compileProject(opts.project, opts.env);
  let info: ReturnType<typeof resolveStack>;
  try {
    info = resolveStack(root, plan.project);
  } catch (err) {
    // A dry run without a stack still checks and summarises the plan (CI before anything runs).
    if (!opts.dryRun || !(err instanceof UsageError)) throw err;
    process.stdout.write(`would deploy ${plan.project} plan ${plan.hash.slice(0, 12)}: ${Object.keys(plan.assets).length} assets, ${Object.keys(plan.pipelines).length} pipelines, ${Object.keys(plan.schedules).length} schedules (no stack reachable: schedule changes not compared)\n`);
    return;
  }
  const stack = await connectStack(info);
  try {
    if (opts.dryRun) {
      process.stdout.write(`would deploy ${plan.project} plan ${plan.hash.slice(0, 12)}: ${Object.keys(plan.assets).length} assets, ${Object.keys(plan.pipelines).length} pipelines\n`);
      await reconcileAfterDeploy(stack, plan, { dryRun: true });
      return;
    }
    const result = await deployPlan(stack.sql, checked, plan, referenced);
    process.stdout.write(`${result.changed ? 'deployed' : 'already deployed'} ${plan.project} plan ${result.hash.slice(0, 12)} (version ${result.versionId})\n`);
    await reconcileAfterDeploy(stack, plan);
  } finally {
    await stack.close();
  }
}

export async function workerCommand(opts: { project: string; concurrency?: string }): Promise<void> {
  const { root, plan } = await compileProject(opts.project);
  const info = resolveStack(root, plan.project);
  const stack = await connectStack(info);
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new UsageError('--concurrency must be a positive whole number');
  const worker = await startWorker({
    temporalAddress: info.temporalAddress,
    namespace: info.namespace,
    taskQueue: info.taskQueue,
    sql: stack.sql,
    projectRoot: root,
    env: publicEnv(),
    secrets: secretsFromEnv(),
    ...(concurrency ? { maxConcurrentActivities: concurrency } : {}),
  });
  process.stderr.write(`weir worker polling ${info.taskQueue} on ${info.temporalAddress}\n`);
  const stop = () => void worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.done;
  await stack.close();
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}$/;

export async function partitionsAddCommand(definition: string, keys: string[], opts: { project: string }): Promise<void> {
  const { root, plan } = await compileProject(opts.project);
  if (plan.partitions[definition]?.kind !== 'dynamic') throw new UsageError(`\`${definition}\` is not a dynamic partition definition of ${plan.project}`);
  for (const key of keys) if (!KEY.test(key)) throw new UsageError(`not a valid partition key: ${JSON.stringify(key)}`);
  const stack = await connectStack(resolveStack(root, plan.project));
  try {
    const added = await addDynamicKeys(stack.sql, definition, keys);
    process.stdout.write(`added ${added.length} key${added.length === 1 ? '' : 's'} to ${definition}${added.length < keys.length ? ` (${keys.length - added.length} already there)` : ''}\n`);
  } finally {
    await stack.close();
  }
}
