// Activities of pool semaphores: reaching Temporal through the worker's own client, and the
// deployed plan for pool limits (so a redeploy changes a limit without restarting anything).
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Plan } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import { currentDeployment } from '../store/specs.ts';
import type { LeaseRequest, PoolActivities, SemaphoreState } from './pool-activity-types.ts';

export interface PoolActivityDeps {
  sql: Sql;
}

export const SEMAPHORE_WORKFLOW = 'poolSemaphore';
export const ACQUIRE_SIGNAL = 'weir.pool.acquire';

export function createPoolActivities(deps: PoolActivityDeps): PoolActivities {
  return {
    async requestPoolLease(input) {
      const limit = await poolLimit(deps.sql, input.project, input.pool);
      const { taskQueue } = Context.current().info;
      await requestLease(Context.current().client, input.semaphore, taskQueue, { holder: input.holder, workflowId: input.workflowId, limit });
    },

    async startHolder(input) {
      try {
        await Context.current().client.workflow.start(input.workflowType, { workflowId: input.workflowId, taskQueue: input.taskQueue, args: input.args });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },

    async closedWorkflows(workflowIds) {
      const client = Context.current().client;
      const closed = await Promise.all(workflowIds.map(async (id) => ((await isRunning(client, id)) ? null : id)));
      return closed.filter((id): id is string => id !== null);
    },
  };
}

/** Signal-with-start: the semaphore is started by its first request, and never started twice. */
export async function requestLease(client: Client, semaphore: string, taskQueue: string, request: LeaseRequest): Promise<void> {
  const initial: SemaphoreState = { limit: request.limit, holders: [], queue: [] };
  await client.workflow.signalWithStart(SEMAPHORE_WORKFLOW, {
    workflowId: semaphore,
    taskQueue,
    args: [initial],
    signal: ACQUIRE_SIGNAL,
    signalArgs: [request],
  });
}

async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function poolLimit(sql: Sql, project: string, pool: string): Promise<number> {
  const deployed = await currentDeployment(sql, project);
  const pools = (deployed?.version.plan as Plan | undefined)?.pools ?? {};
  const declared = Object.hasOwn(pools, pool) ? pools[pool] : undefined;
  if (!declared) throw ApplicationFailure.create({ type: 'UnknownPool', nonRetryable: true, message: `pool ${pool} is not declared in the deployed project ${project}` });
  return declared.limit;
}
