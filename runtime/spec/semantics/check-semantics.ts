// The semantic pass: runs every check over a structurally valid model and collects what they report.
import { buildAssetGraph, selectionGraph } from '../asset-graph.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { ProjectModel } from '../model.ts';
import { evaluateSelection, parseSelection } from '../selection.ts';
import type { CheckContext } from './context.ts';
import { checkDependencies } from './dependencies.ts';
import { checkExpressions } from './expressions.ts';
import { checkFiles } from './files.ts';
import { checkPipelines } from './pipelines.ts';
import { checkReferences } from './references.ts';
import { checkValues } from './values.ts';

const CHECKS: readonly ((ctx: CheckContext) => void)[] = [
  checkReferences,
  checkDependencies,
  checkValues,
  checkPipelines,
  checkExpressions,
  checkFiles,
];

/** Runs every semantic check; returns the context (for the compiler) and what the checks reported. */
export function checkSemantics(model: ProjectModel, files: ReadonlySet<string>): { ctx: CheckContext; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ctx = semanticContext(model, files, (d) => diagnostics.push(d));
  for (const check of CHECKS) check(ctx);
  return { ctx, diagnostics };
}

export function semanticContext(model: ProjectModel, files: ReadonlySet<string>, report: (d: Diagnostic) => void): CheckContext {
  const assets = buildAssetGraph(model);
  const graph = selectionGraph(model, assets);
  const selections = new Map<string, ReadonlySet<string>>();
  return {
    model,
    files,
    assets,
    report,
    selected(pipeline) {
      let set = selections.get(pipeline);
      if (!set) {
        const text = model.pipelines.get(pipeline)?.value.select;
        const parsed = typeof text === 'string' ? parseSelection(text).selection : undefined;
        set = parsed ? evaluateSelection(parsed, graph) : new Set();
        selections.set(pipeline, set);
      }
      return set;
    },
  };
}
