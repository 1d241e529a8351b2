// The step kinds a worker runs as activities, one explicit map from kind to executor. `wait`,
// `approval` and `pipeline` belong to the workflow (timers, updates, child runs), not to a worker slot.
import type { StepReport } from '../engine/run-input.ts';
import type { CommandStep, HttpStep, NodeStep, SqlStep, Step } from '../spec/generated/types.ts';
import { commandStep } from './command.ts';
import { httpStep } from './http.ts';
import { nodeStep } from './node.ts';
import { sqlStep } from './sql.ts';
import type { StepContext, StepExecutor } from './step-context.ts';

export type ActivityStep = CommandStep | SqlStep | HttpStep | NodeStep;

/** The mapped type makes the map exhaustive: a new activity kind without an executor does not compile. */
export const stepExecutors: { readonly [K in ActivityStep['kind']]: StepExecutor<Extract<ActivityStep, { kind: K }>> } = {
  command: commandStep,
  sql: sqlStep,
  http: httpStep,
  node: nodeStep,
};

export function executeStep(ctx: StepContext, step: ActivityStep): Promise<StepReport> {
  switch (step.kind) {
    case 'command':
      return stepExecutors.command.execute(ctx, step);
    case 'sql':
      return stepExecutors.sql.execute(ctx, step);
    case 'http':
      return stepExecutors.http.execute(ctx, step);
    case 'node':
      return stepExecutors.node.execute(ctx, step);
    default:
      return step satisfies never;
  }
}

/** Whether a step runs in an activity on a worker (rather than in the workflow itself). */
export function runsAsActivity(step: Step): step is ActivityStep {
  switch (step.kind) {
    case 'command':
    case 'sql':
    case 'http':
    case 'node':
      return true;
    case 'wait':
    case 'approval':
    case 'pipeline':
      return false;
    default:
      return step satisfies never;
  }
}
