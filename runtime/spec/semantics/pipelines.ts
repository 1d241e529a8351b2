// Checks pipelines: selections that parse and match, task DAGs without unknown needs or cycles,
// one partition definition per run, typed param defaults, and the partitions schedules and sensors target.
import { selectionGraph } from '../asset-graph.ts';
import { diagnostic } from '../diagnostics.ts';
import { NameGraph } from '../graph.ts';
import { brokenKey, placeOf, valid, type Decl, type ProjectModel } from '../model.ts';
import { parseKey, type Partitions } from '../partitions.ts';
import { resolvePartitions } from '../resolve-partitions.ts';
import { parseSelection, unknownNames } from '../selection.ts';
import { closest } from '../suggest.ts';
import type { Param, Pipeline, Schedule, Sensor } from '../generated/types.ts';
import type { CheckContext } from './context.ts';

export function checkPipelines(ctx: CheckContext): void {
  const graph = selectionGraph(ctx.model, ctx.assets);
  for (const decl of valid<Pipeline>(ctx.model, 'pipelines')) {
    if (decl.value.select !== undefined) checkSelection(ctx, decl, decl.value.select, graph);
    if (decl.value.tasks !== undefined) checkTasks(ctx, decl);
    for (const [name, param] of Object.entries(decl.value.params ?? {})) checkParam(ctx, decl, name, param);
  }
  for (const decl of valid<Schedule>(ctx.model, 'schedules')) {
    checkTargetPartition(ctx, decl, decl.value.pipeline, decl.value.partition, ['partition']);
  }
  for (const decl of valid<Sensor>(ctx.model, 'sensors')) {
    checkTargetPartition(ctx, decl, decl.value.start.pipeline, decl.value.start.partition, ['start', 'partition']);
  }
}

function checkSelection(ctx: CheckContext, decl: Decl<Pipeline>, text: string, graph: ReturnType<typeof selectionGraph>): void {
  const { selection, problems } = parseSelection(text);
  for (const p of problems) {
    ctx.report(diagnostic('selection-syntax', { detail: p.message }, placeOf(decl, { offset: p.offset, length: p.length }, 'select')));
  }
  if (!selection) return;
  const missing = unknownNames(selection, graph);
  for (const m of missing) {
    ctx.report(
      diagnostic(
        'unknown-reference',
        { what: 'asset', name: m.name, suggestion: closest(m.name, ctx.model.assets.keys()) },
        placeOf(decl, { offset: m.offset, length: m.length }, 'select'),
      ),
    );
  }
  const selected = ctx.selected(decl.name);
  if (selected.size === 0 && missing.length === 0) {
    ctx.report(diagnostic('selection-empty', { selection: text }, placeOf(decl, {}, 'select')));
    return;
  }
  const definitions = new Map<string, string>();
  for (const name of selected) {
    const asset = ctx.model.assets.get(name)!.value;
    const resolved = resolvePartitions(ctx.model, asset.partitions);
    if (!resolved) continue;
    const label = typeof asset.partitions === 'string' ? asset.partitions : `inline on ${name}`;
    const key = JSON.stringify(resolved);
    if (!definitions.has(key)) definitions.set(key, label);
  }
  if (definitions.size > 1) {
    ctx.report(diagnostic('pipeline-partitions-mixed', { pipeline: decl.name, definitions: [...definitions.values()] }, placeOf(decl, {}, 'select')));
  }
}

function checkTasks(ctx: CheckContext, decl: Decl<Pipeline>): void {
  const tasks = decl.value.tasks ?? {};
  const graph = new NameGraph(Object.keys(tasks));
  for (const [name, task] of Object.entries(tasks)) {
    (task.needs ?? []).forEach((need, i) => {
      if (graph.has(need)) graph.addEdge(need, name);
      else {
        const at = placeOf(decl, {}, 'tasks', name, 'needs', i);
        ctx.report(diagnostic('unknown-reference', { what: 'task', name: need, suggestion: closest(need, Object.keys(tasks)) }, at));
      }
    });
  }
  for (const cycle of graph.cycles()) {
    const last = cycle[cycle.length - 1]!;
    const index = (tasks[last]!.needs ?? []).indexOf(cycle[cycle.length - 2]!);
    ctx.report(diagnostic('dependency-cycle', { cycle }, placeOf(decl, {}, 'tasks', last, 'needs', Math.max(0, index))));
  }
}

const PARAM_TYPES = {
  string: (v: unknown) => typeof v === 'string',
  integer: (v: unknown) => Number.isInteger(v),
  number: (v: unknown) => typeof v === 'number',
  boolean: (v: unknown) => typeof v === 'boolean',
  date: (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  enum: (v: unknown) => typeof v === 'string',
} as const;

function checkParam(ctx: CheckContext, decl: Decl<Pipeline>, name: string, param: Param): void {
  if (param.default === undefined) return;
  const at = () => placeOf(decl, {}, 'params', name, 'default');
  const type = param.type as keyof typeof PARAM_TYPES;
  if (!PARAM_TYPES[type](param.default)) {
    ctx.report(diagnostic('schema-type', { expected: type === 'date' ? 'a date (YYYY-MM-DD)' : `a value of type ${type}` }, at()));
  } else if (type === 'enum' && !(param.values ?? []).includes(param.default as string)) {
    ctx.report(diagnostic('schema-enum', { allowed: (param.values ?? []).map(String), suggestion: closest(String(param.default), (param.values ?? []).map(String)) }, at()));
  }
}

/** The partition definition of a pipeline's runs: declared on a task pipeline, or shared by its selected assets. */
export function pipelinePartitions(model: ProjectModel, pipeline: Pipeline, selected: Iterable<string>): Partitions | undefined {
  if (pipeline.partitions !== undefined) return resolvePartitions(model, pipeline.partitions);
  for (const name of selected) {
    const resolved = resolvePartitions(model, model.assets.get(name)?.value.partitions);
    if (resolved) return resolved;
  }
  return undefined;
}

function checkTargetPartition(ctx: CheckContext, decl: Decl<unknown>, pipelineName: string, partition: string | undefined, path: string[]): void {
  if (partition === undefined) return;
  const pipeline = ctx.model.pipelines.get(pipelineName);
  if (!pipeline || ctx.model.broken.has(brokenKey('pipelines', pipelineName))) return;
  const selected = ctx.selected(pipelineName);
  const partitions = pipelinePartitions(ctx.model, pipeline.value, selected);
  const at = () => placeOf(decl, {}, ...path);
  if (!partitions) {
    ctx.report(diagnostic('schedule-partition-unpartitioned', { pipeline: pipelineName }, at()));
    return;
  }
  if (partition === 'previous' || partition === 'current' || partition.includes('${')) return;
  const parsed = parseKey(partitions, partition);
  if (!parsed.ok) {
    const label = partitionsLabel(ctx, pipeline.value, selected);
    ctx.report(diagnostic('invalid-partition-key', { key: partition, partitions: label, detail: parsed.detail }, at()));
  }
}

/** How a user refers to a pipeline's partitions: the definition's name where there is one. */
function partitionsLabel(ctx: CheckContext, pipeline: Pipeline, selected: Iterable<string>): string {
  if (typeof pipeline.partitions === 'string') return pipeline.partitions;
  for (const name of selected) {
    const p = ctx.model.assets.get(name)?.value.partitions;
    if (typeof p === 'string') return p;
    if (p) return `the partitions of asset ${name}`;
  }
  return 'its partitions';
}
