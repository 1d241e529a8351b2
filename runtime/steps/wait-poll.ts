// One short look at a `wait` step's condition. The workflow loops with durable timers between looks,
// so a waiting run holds no worker slot.
import path from 'node:path';
import picomatch from 'picomatch';
import type { WaitCondition } from '../spec/generated/types.ts';
import { renderString } from '../spec/expressions.ts';
import { findFirstMatch } from './file-glob.ts';
import { guardStep } from './guard-step.ts';
import { sendRequest } from './http-request.ts';
import { resolveInProject } from './project-path.ts';
import { StepError } from './step-context.ts';
import type { StepContext } from './step-context.ts';

export interface WaitOutcome {
  done: boolean;
  /** What was seen, for the run's event log ("found data/2026-03-01.csv", "status 404"). */
  detail: string;
}

/** The condition as a union on `kind`. */
type Until =
  | { kind: 'time'; time: string }
  | { kind: 'file'; file: string }
  | { kind: 'http'; url: string; status: number[] | undefined }
  | { kind: 'asset'; asset: string; partition: string | undefined };

export function pollWait(ctx: StepContext, until: WaitCondition): Promise<WaitOutcome> {
  return guardStep(ctx, () => {
    const condition = untilOf(until);
    switch (condition.kind) {
      case 'time':
        return pollTime(ctx, condition.time);
      case 'file':
        return pollFile(ctx, condition.file);
      case 'http':
        return pollHttp(ctx, condition.url, condition.status);
      case 'asset':
        return pollAsset(ctx, condition.asset, condition.partition);
      default:
        return condition satisfies never;
    }
  });
}

// The schema says "exactly one of" these keys rather than a `kind`: this is the one place that tells
// them apart by presence, turning the condition into a proper union.
function untilOf(until: WaitCondition): Until {
  const present = (['time', 'file', 'http', 'asset'] as const).filter((k) => until[k] !== undefined);
  if (present.length !== 1) throw new StepError('`until` needs exactly one of `time`, `file`, `http` and `asset`', { retryable: false });
  if (until.time !== undefined) return { kind: 'time', time: until.time };
  if (until.file !== undefined) return { kind: 'file', file: until.file };
  if (until.http !== undefined) return { kind: 'http', url: until.http.url, status: until.http.status };
  return { kind: 'asset', asset: until.asset ?? '', partition: until.partition };
}

async function pollTime(ctx: StepContext, template: string): Promise<WaitOutcome> {
  const text = renderString(template, ctx.values).value;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new StepError(`\`until.time\` is not a date-time: \`${text}\``, { retryable: false });
  const done = Date.now() >= at;
  return { done, detail: done ? `${text} has passed` : `waiting until ${text}` };
}

async function pollFile(ctx: StepContext, template: string): Promise<WaitOutcome> {
  const glob = renderString(template, ctx.values).value;
  const absolute = path.isAbsolute(glob) ? glob : projectGlob(ctx.projectRoot, glob);
  const found = await findFirstMatch(absolute);
  return found ? { done: true, detail: `found ${found}` } : { done: false, detail: `no file matches ${glob}` };
}

/** A relative glob anchored in the project; its fixed prefix must stay inside it. */
function projectGlob(root: string, glob: string): string {
  const { base } = picomatch.scan(glob);
  resolveInProject(root, base || '.', 'file glob');
  return path.join(path.resolve(root), glob);
}

async function pollHttp(ctx: StepContext, template: string, statuses: number[] | undefined): Promise<WaitOutcome> {
  const url = renderString(template, ctx.values).value;
  try {
    const response = await sendRequest({ method: 'GET', url, headers: {} }, ctx.signal);
    const done = statuses ? statuses.includes(response.status) : response.status >= 200 && response.status < 300;
    return { done, detail: `${url} answered ${response.status}` };
  } catch (error) {
    // An unreachable endpoint is "not yet" for a wait; only cancellation ends the look early.
    if (error instanceof StepError) return { done: false, detail: error.message };
    throw error;
  }
}

async function pollAsset(ctx: StepContext, asset: string, partitionTemplate: string | undefined): Promise<WaitOutcome> {
  if (!ctx.isMaterialized) throw new StepError('this worker cannot look up materializations (no store in its step context)', { retryable: true });
  const partition = partitionTemplate === undefined ? (ctx.values.partition?.key ?? null) : renderString(partitionTemplate, ctx.values).value;
  const done = await ctx.isMaterialized(asset, partition);
  const which = partition === null ? `\`${asset}\`` : `\`${asset}\` partition ${partition}`;
  return { done, detail: done ? `${which} is materialized` : `${which} is not materialized yet` };
}
