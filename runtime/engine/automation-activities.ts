// The automation tick: evaluate the deployed plan, record every decision, start the runs, check freshness.
// At-least-once like every activity: run ids are deterministic and records have natural keys.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Plan } from '../spec/plan.ts';
import { loadAutomationState, recordEvaluation, recordFreshness } from '../store/automation.ts';
import type { Sql } from '../store/db.ts';
import { getRun } from '../store/runs.ts';
import { evaluateAutomation, type Decision } from './automation.ts';
import type { AutomationActivities, AutomationTickResult } from './automation-types.ts';
import { deployedPlan } from './deploy.ts';
import { evaluateFreshness } from './freshness.ts';
import { startRun, type RunsClient } from './runs-client.ts';

export interface AutomationDeps {
  sql: Sql;
}

export function createAutomationActivities(deps: AutomationDeps): AutomationActivities {
  return {
    async runAutomationTick({ project }) {
      const { client, info } = Context.current();
      return automationTick({ client, sql: deps.sql, taskQueue: info.taskQueue }, project);
    },
  };
}

/** One tick, callable outside a worker too (tests, `weir dev`). Runs start on `rc.taskQueue`. */
export async function automationTick(rc: RunsClient, project: string, now = new Date()): Promise<AutomationTickResult> {
  const plan = await deployedPlan(rc.sql, project);
  if (!plan) return { evaluated: 0, started: [], freshnessViolations: 0 };
  const state = await loadAutomationState(rc.sql, plan);
  const { decisions } = evaluateAutomation(plan, state, now);
  const started: string[] = [];
  for (const d of decisions) {
    const outcome = d.action === 'run' ? await launch(rc, plan, d) : { decision: d, runId: null };
    if (outcome.started) started.push(outcome.runId!);
    await recordEvaluation(rc.sql, plan.project, outcome.decision, outcome.runId, now);
  }
  let violations = 0;
  for (const s of evaluateFreshness(plan, state, now)) if (await recordFreshness(rc.sql, plan.project, s, now)) violations++;
  return { evaluated: decisions.length, started, freshnessViolations: violations };
}

/** Starts the decision's run unless its deterministic id already ran: then the decision becomes a skip saying so. */
async function launch(rc: RunsClient, plan: Plan, d: Decision): Promise<{ decision: Decision; runId: string | null; started?: boolean }> {
  const runId = d.runId!;
  const existing = await getRun(rc.sql, runId);
  if (existing && existing.status !== 'queued') {
    return { decision: { ...d, action: 'skip', reasons: [...d.reasons, `skipped: run ${runId} for this change already ${existing.status}`] }, runId: null };
  }
  try {
    const trigger = { kind: 'automation' as const, by: 'automation', asset: d.asset, reasons: d.reasons };
    await startRun(rc, plan, { pipeline: d.pipeline!, partition: d.partition === '' ? null : d.partition, select: d.asset }, trigger, { runId });
    return { decision: d, runId, started: true };
  } catch (err) {
    // A replayed tick finds the workflow already started: the run is in flight, which is what was wanted.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { decision: d, runId, started: false };
    const message = err instanceof Error ? err.message : String(err);
    return { decision: { ...d, action: 'skip', reasons: [...d.reasons, `skipped: could not start the run: ${message}`] }, runId: null };
  }
}
