// The run activities, built by a factory from their dependencies (database, project folder, secrets).
// Activities are at-least-once; every record they write has a natural key, so recording is exactly-once.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { prepareRun } from './runs-client.ts';
import type { ExecuteStepInput, RunActivities, RunScope } from './activity-types.ts';
import type { Values } from '../spec/expressions.ts';
import type { Plan } from '../spec/plan.ts';
import { executeCheck } from '../steps/checks.ts';
import { executeStep, runsAsActivity } from '../steps/registry.ts';
import { StepCancelledError, StepError } from '../steps/step-context.ts';
import { pollWait } from '../steps/wait-poll.ts';
import type { WaitCondition } from '../spec/generated/types.ts';
import { recordCheckResult, recordMaterialization, recordPartitionFailure } from '../store/assets.ts';
import type { Sql } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { finishRun, getRun, markRunStarted } from '../store/runs.ts';
import { currentDeployment } from '../store/specs.ts';
import { closeAbandonedAttempts, recordAttemptFinish, recordAttemptStart, upsertStepState } from '../store/steps.ts';
import { openStepContext, type WorkerEnvironment } from './step-context-factory.ts';

export interface ActivityDeps extends WorkerEnvironment {
  sql: Sql;
  workerId: string;
}

export function createRunActivities(deps: ActivityDeps): RunActivities {
  const { sql } = deps;
  return {
    async executeStep(input) {
      const step = input.node.step;
      if (!step || !runsAsActivity(step)) throw ApplicationFailure.nonRetryable(`step ${input.node.name} does not run on a worker`);
      const { attempt } = Context.current().info;
      const base = { runId: input.runId, step: input.node.name, attempt, worker: deps.workerId };
      // The step row first: recording the attempt also raises the step's attempt count.
      await upsertStepState(sql, { runId: input.runId, name: input.node.name, kind: input.node.kind, asset: assetOf(input), status: 'running' });
      await recordAttemptStart(sql, base);
      if (attempt > 1) await closeAbandonedAttempts(sql, input.runId, input.node.name, attempt);
      const opened = openStepContext(deps, input, attempt, values(deps, input, input.upstream));
      try {
        opened.event('state', 'info', `attempt ${attempt} started on ${deps.workerId}`, { attempt });
        const report = await withHeartbeats(opened.ctx.signal, () => executeStep(opened.ctx, step));
        const clean = opened.redactor.redactJson(report);
        // Independent writes, each idempotent: issued together on the pool.
        await Promise.all([
          upsertStepState(sql, {
            runId: input.runId,
            name: input.node.name,
            kind: input.node.kind,
            asset: assetOf(input),
            status: 'succeeded',
            metadata: clean.metadata,
            outputs: clean.outputs,
          }),
          input.node.kind === 'asset'
            ? recordMaterialization(sql, {
                asset: input.node.name,
                partition: input.partition?.key ?? null,
                runId: input.runId,
                stepAttempt: attempt,
                metadata: clean.metadata,
                fingerprint: input.node.fingerprint,
              })
            : undefined,
          recordAttemptFinish(sql, { ...base, status: 'succeeded' }),
          // The same key the workflow uses for the other step states.
          appendEvents(sql, [{ runId: input.runId, step: input.node.name, key: `step:${input.node.name}:succeeded`, kind: 'state', level: 'info', message: `${input.node.name} succeeded` }]),
          (opened.event('state', 'info', `attempt ${attempt} succeeded`, { attempt, metadata: clean.metadata }), opened.flush()),
        ]);
        return clean;
      } catch (err) {
        throw await failAttempt(deps, opened, base, err);
      } finally {
        await opened.close();
      }
    },

    async executeCheck(input) {
      const { attempt } = Context.current().info;
      const opened = openStepContext(deps, { ...input, node: { name: input.asset } }, attempt, values(deps, input, input.upstream));
      try {
        const result = await executeCheck(opened.ctx, input.check.check);
        const metadata = opened.redactor.redactJson(result.metadata);
        await recordCheckResult(sql, {
          asset: input.asset,
          partition: input.partition?.key ?? null,
          runId: input.runId,
          checkName: input.check.name,
          passed: result.passed,
          severity: input.check.severity,
          metadata,
        });
        const level = result.passed ? 'info' : input.check.severity === 'error' ? 'error' : 'warn';
        opened.event('check', level, `check ${input.check.name} ${result.passed ? 'passed' : 'failed'}`, { check: input.check.name, passed: result.passed, severity: input.check.severity, metadata }, `check:${input.check.name}`);
        await opened.flush();
        return { name: input.check.name, severity: input.check.severity, passed: result.passed, metadata };
      } finally {
        await opened.close();
      }
    },

    async pollWait(input) {
      const opened = openStepContext(deps, { ...input, node: { name: input.step } }, Context.current().info.attempt, values(deps, input, {}));
      try {
        return await pollWait(opened.ctx, input.until as WaitCondition);
      } finally {
        await opened.close();
      }
    },

    async recordRun(input) {
      if (input.status === 'running') await markRunStarted(sql, input.runId);
      else if (input.status === 'succeeded' || input.status === 'failed' || input.status === 'cancelled') {
        await finishRun(sql, input.runId, input.status, input.error ?? null);
      }
      await appendEvents(sql, [
        { runId: input.runId, key: `run:${input.status}`, kind: 'state', level: input.status === 'failed' ? 'error' : 'info', message: `run ${input.status}${input.error ? `: ${input.error}` : ''}` },
      ]);
    },

    async recordStep(input) {
      await upsertStepState(sql, {
        runId: input.runId,
        name: input.step,
        kind: input.kind,
        asset: input.kind === 'asset' ? input.step : null,
        status: input.status,
        error: input.error ?? null,
        ...(input.outputs ? { outputs: input.outputs } : {}),
      });
      if (input.kind === 'asset' && input.status === 'failed') {
        const run = await getRun(sql, input.runId);
        await recordPartitionFailure(sql, { asset: input.step, partition: run?.partition ?? null, runId: input.runId });
      }
      const level = input.status === 'failed' ? 'error' : input.status === 'skipped' || input.status === 'cancelled' ? 'warn' : 'info';
      const detail = input.reusedFrom ? ` (reused from run ${input.reusedFrom})` : input.error ? `: ${input.error}` : '';
      await appendEvents(sql, [
        { runId: input.runId, step: input.step, key: `step:${input.step}:${input.status}`, kind: 'state', level, message: `${input.step} ${input.status}${detail}` },
      ]);
    },

    async recordEvent(input) {
      await appendEvents(sql, [{ ...input, data: input.data ?? null }]);
    },

    async prepareChildRun(input) {
      const parent = await getRun(sql, input.parentRunId);
      if (!parent) throw ApplicationFailure.nonRetryable(`parent run ${input.parentRunId} not found`);
      const deployed = await currentDeployment(sql, parent.project);
      if (!deployed) throw ApplicationFailure.nonRetryable(`project ${parent.project} has no deployment`);
      const plan = deployed.version.plan as Plan;
      // Deterministic: a retried call finds the run it already created.
      const runId = `${input.parentRunId}.${input.step}`;
      const child = await prepareRun(sql, plan, { pipeline: input.pipeline, partition: input.partition, params: input.params }, { kind: 'manual', by: `run ${input.parentRunId}` }, { runId, parentRunId: input.parentRunId });
      return child;
    },
  };
}

function assetOf(input: ExecuteStepInput): string | null {
  return input.node.kind === 'asset' ? input.node.name : null;
}

/** The values `${…}` resolves to on this worker: secrets and env exist only here, never in workflow history. */
function values(deps: WorkerEnvironment, scope: RunScope, upstream: ExecuteStepInput['upstream']): Values {
  return {
    partition: scope.partition ?? undefined,
    params: scope.params,
    steps: upstream,
    env: deps.env,
    secrets: deps.secrets,
    run: { id: scope.runId, pipeline: scope.pipeline },
  } as Values;
}

/** Heartbeats every second while the step runs, so a dead worker is noticed and cancellation reaches the step. */
async function withHeartbeats<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    if (!signal.aborted) Context.current().heartbeat();
  }, 1000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

async function failAttempt(
  deps: ActivityDeps,
  opened: ReturnType<typeof openStepContext>,
  base: { runId: string; step: string; attempt: number; worker: string },
  err: unknown,
): Promise<Error> {
  const cancelled = err instanceof StepCancelledError;
  const message = opened.redactor.redact(err instanceof Error ? err.message : String(err));
  const exitCode = err instanceof StepError ? (err.exitCode ?? null) : null;
  opened.event('state', cancelled ? 'warn' : 'error', `attempt ${base.attempt} ${cancelled ? 'stopped' : 'failed'}: ${message}`, { attempt: base.attempt, exitCode });
  await opened.flush().catch(() => undefined);
  await recordAttemptFinish(deps.sql, { ...base, status: cancelled ? 'cancelled' : 'failed', exitCode, error: message });
  if (cancelled) return new CancelledFailure(message);
  const retryable = err instanceof StepError ? err.retryable : true;
  // Only the redacted message crosses into workflow history; the original error stays on this worker.
  return ApplicationFailure.create({ message, type: retryable ? 'StepError' : 'NonRetryableStepError', nonRetryable: !retryable, details: [{ exitCode }] });
}
