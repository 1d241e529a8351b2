// What runs on its own after a deploy: Temporal Schedules, sensor loops and the automation loop, reconciled with the plan.
import { reconcileAutomation } from '../engine/automation-loop.ts';
import type { Plan } from '../spec/plan.ts';
import { deployReconcileSchedules } from './schedules.ts';
import { deployReconcileSensors } from './sensors.ts';
import type { StackClients } from './stack.ts';

export async function reconcileAfterDeploy(stack: StackClients, plan: Plan, opts: { dryRun?: boolean; out?: NodeJS.WritableStream } = {}): Promise<void> {
  const out = opts.out ?? process.stdout;
  await deployReconcileSchedules(stack, plan, opts);
  await deployReconcileSensors(stack, plan, opts);
  if (opts.dryRun) return;
  const automation = await reconcileAutomation(stack.client, stack.sql, plan, { taskQueue: stack.info.taskQueue });
  if (automation === 'started' || automation === 'stopped') out.write(`automation loop ${automation}\n`);
}
