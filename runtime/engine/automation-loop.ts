// Keeping the project's automation loop in line with the deployed plan: running while any asset declares
// `automation` or `freshness`, stopped otherwise. The loop reads the deployed plan on every tick, so a new
// deployment needs no restart.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Plan } from '../spec/plan.ts';
import type { Sql } from '../store/db.ts';
import type { AutomationLoopInput } from './automation-types.ts';

export const automationWorkflowId = (project: string): string => `automation-${project}`;
export const DEFAULT_AUTOMATION_EVERY_MS = 30_000;

export const needsAutomation = (plan: Plan): boolean => Object.values(plan.assets).some((a) => a.automation !== null || a.freshness !== null);

export async function reconcileAutomation(
  client: Client,
  _sql: Sql,
  plan: Plan,
  opts: { taskQueue: string; everyMs?: number },
): Promise<'started' | 'running' | 'stopped' | 'absent'> {
  const workflowId = automationWorkflowId(plan.project);
  if (needsAutomation(plan)) {
    const input: AutomationLoopInput = { project: plan.project, everyMs: opts.everyMs ?? DEFAULT_AUTOMATION_EVERY_MS };
    try {
      await client.workflow.start('automationLoop', { workflowId, taskQueue: opts.taskQueue, args: [input] });
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'running';
      throw err;
    }
  }
  try {
    await client.workflow.getHandle(workflowId).terminate('no asset declares automation or freshness any more');
    return 'stopped';
  } catch (err) {
    // Not running (never started, or already stopped): nothing to do.
    if (err instanceof WorkflowNotFoundError) return 'absent';
    throw err;
  }
}
