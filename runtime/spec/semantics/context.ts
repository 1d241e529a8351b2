// What every semantic check receives: the model, the project's files, the asset graph and a sink for diagnostics.
import type { Diagnostic } from '../diagnostics.ts';
import type { NameGraph } from '../graph.ts';
import { valid, type Decl, type ProjectModel } from '../model.ts';
import type { Asset, Check, Pipeline, Step, Task } from '../generated/types.ts';

export interface CheckContext {
  model: ProjectModel;
  /** Every file of the project, relative to the root. */
  files: ReadonlySet<string>;
  /** Asset lineage over valid assets and their known dependencies. */
  assets: NameGraph;
  report(d: Diagnostic): void;
  /** The assets a pipeline's `select` matches (empty for task pipelines and unparsable selections); memoised. */
  selected(pipeline: string): ReadonlySet<string>;
}

/** A step with the thing that owns it: an asset, a check of an asset, or a task of a pipeline. */
export type StepSite =
  | { kind: 'asset'; decl: Decl<Asset>; step: Step; path: readonly (string | number)[] }
  | { kind: 'check'; decl: Decl<Asset>; check: Check; path: readonly (string | number)[] }
  | { kind: 'task'; decl: Decl<Pipeline>; task: string; step: Step; path: readonly (string | number)[] };

/** Every step of the valid declarations, with its key path relative to its declaration. */
export function* stepSites(ctx: CheckContext): Iterable<StepSite> {
  for (const decl of valid<Asset>(ctx.model, 'assets')) {
    const asset = decl.value;
    if (asset.step) yield { kind: 'asset', decl, step: asset.step, path: ['step'] };
    const checks = asset.checks ?? [];
    for (let i = 0; i < checks.length; i++) yield { kind: 'check', decl, check: checks[i]!, path: ['checks', i] };
  }
  for (const decl of valid<Pipeline>(ctx.model, 'pipelines')) {
    for (const [task, t] of Object.entries(decl.value.tasks ?? {}) as [string, Task][]) {
      yield { kind: 'task', decl, task, step: t.step, path: ['tasks', task, 'step'] };
    }
  }
}
