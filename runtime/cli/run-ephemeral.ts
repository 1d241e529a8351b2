// `weir run --ephemeral`: a throwaway stack (PostgreSQL, Temporal, a worker) for one run, then gone.
// How CI tests a pipeline end to end with nothing started first.
import { startLocalStack } from '../dev/local-stack.ts';
import { publicEnv, secretsFromEnv } from '../dev/secrets.ts';
import { deployPlan } from '../engine/deploy.ts';
import { startWorker } from '../engine/worker.ts';
import { compileProject } from './project.ts';
import { launchAndFollow, type RunOptions } from './runs.ts';
import { connectStack, taskQueueFor } from './stack.ts';

export async function runEphemeral(pipeline: string, opts: RunOptions): Promise<number> {
  const { root, checked, plan, referenced } = await compileProject(opts.project);
  const local = await startLocalStack({ projectRoot: root, ephemeral: true, log: (l) => process.stderr.write(`${l}\n`) });
  try {
    const stack = await connectStack({ databaseUrl: local.databaseUrl, temporalAddress: local.temporalAddress, namespace: local.namespace, taskQueue: taskQueueFor(plan.project) });
    try {
      await deployPlan(stack.sql, checked, plan, referenced);
      const worker = await startWorker({
        temporalAddress: local.temporalAddress,
        namespace: local.namespace,
        taskQueue: stack.info.taskQueue,
        sql: stack.sql,
        projectRoot: root,
        env: publicEnv(),
        secrets: secretsFromEnv(),
      });
      try {
        return await launchAndFollow(stack, plan, pipeline, opts);
      } finally {
        await worker.shutdown();
      }
    } finally {
      await stack.close();
    }
  } finally {
    await local.stop();
  }
}
