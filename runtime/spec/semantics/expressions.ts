// Checks every `${…}` in the project against what exists where it is written.
import { diagnostic } from '../diagnostics.ts';
import { NameGraph } from '../graph.ts';
import { valid, placeOf, type Decl } from '../model.ts';
import { checkTemplate, type Scope } from '../expressions.ts';
import type { Partitions } from '../partitions.ts';
import { resolvePartitions } from '../resolve-partitions.ts';
import type { Asset, Pipeline, Resource, Schedule, Sensor } from '../generated/types.ts';
import type { CheckContext } from './context.ts';
import { pipelinePartitions } from './pipelines.ts';

export function checkExpressions(ctx: CheckContext): void {
  const paramsByAsset = assetParams(ctx);
  const knownTasks: ReadonlySet<string> = new Set(ctx.model.assets.keys());
  for (const decl of valid<Resource>(ctx.model, 'resources')) walk(ctx, decl, decl.value, [], { where: `resource \`${decl.name}\`` });
  for (const decl of valid<Asset>(ctx.model, 'assets')) {
    let upstream: Set<string> | undefined;
    const scope: Scope = {
      partition: partitionScope(resolvePartitions(ctx.model, decl.value.partitions)),
      params: paramsByAsset.get(decl.name) ?? new Set(),
      // Outputs of upstream assets are readable as `steps.<asset>.outputs.<name>`; computed only when asked,
      // since walking every asset's ancestry would be quadratic on long chains.
      get upstreamTasks() {
        return (upstream ??= ctx.assets.reach([decl.name], 'up'));
      },
      knownTasks,
      currentTask: decl.name,
      where: `asset \`${decl.name}\``,
    };
    if (decl.value.step) walk(ctx, decl, decl.value.step, ['step'], scope);
    if (decl.value.checks) walk(ctx, decl, decl.value.checks, ['checks'], scope);
  }
  for (const decl of valid<Pipeline>(ctx.model, 'pipelines')) checkPipeline(ctx, decl);
  for (const decl of valid<Schedule>(ctx.model, 'schedules')) {
    const scope: Scope = { schedule: true, where: `schedule \`${decl.name}\`` };
    walk(ctx, decl, decl.value.partition, ['partition'], scope);
    walk(ctx, decl, decl.value.params, ['params'], scope);
  }
  for (const decl of valid<Sensor>(ctx.model, 'sensors')) {
    const { start: _start, ...rest } = decl.value;
    walk(ctx, decl, rest, [], { where: `sensor \`${decl.name}\`` });
    walk(ctx, decl, decl.value.start, ['start'], { sensor: decl.value.kind, where: `sensor \`${decl.name}\`` });
  }
}

function partitionScope(p: Partitions | undefined): Scope['partition'] {
  if (!p) return undefined;
  if (p.kind === 'multi') return { time: p.dimensions.some((d) => d.partitions.kind === 'time'), dimensions: p.dimensions.map((d) => d.name) };
  return { time: p.kind === 'time' };
}

function checkPipeline(ctx: CheckContext, decl: Decl<Pipeline>): void {
  const p = decl.value;
  const selected = p.select === undefined ? [] : ctx.selected(decl.name);
  const partition = partitionScope(pipelinePartitions(ctx.model, p, selected));
  const params = new Set(Object.keys(p.params ?? {}));
  const where = `pipeline \`${decl.name}\``;
  walk(ctx, decl, p.concurrency, ['concurrency'], { partition, params, where });
  const tasks = p.tasks ?? {};
  const graph = new NameGraph(Object.keys(tasks));
  for (const [name, task] of Object.entries(tasks)) {
    for (const need of task.needs ?? []) if (graph.has(need)) graph.addEdge(need, name);
  }
  const knownTasks = new Set(Object.keys(tasks));
  for (const [name, task] of Object.entries(tasks)) {
    const scope: Scope = { partition, params, knownTasks, upstreamTasks: graph.reach([name], 'up'), currentTask: name, where: `task \`${name}\`` };
    walk(ctx, decl, task.step, ['tasks', name, 'step'], scope);
  }
}

/** The params an asset's step may read: those declared by every pipeline that selects it. */
function assetParams(ctx: CheckContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const decl of valid<Pipeline>(ctx.model, 'pipelines')) {
    if (decl.value.select === undefined) continue;
    const declared = Object.keys(decl.value.params ?? {});
    for (const asset of ctx.selected(decl.name)) {
      const current = out.get(asset);
      out.set(asset, current ? new Set(declared.filter((p) => current.has(p))) : new Set(declared));
    }
  }
  return out;
}

/** Checks every string below `value`; `path` is the key path of `value` inside the declaration. */
function walk(ctx: CheckContext, decl: Decl<unknown>, value: unknown, path: (string | number)[], scope: Scope): void {
  if (typeof value === 'string') {
    if (!value.includes('${')) return;
    for (const p of checkTemplate(value, scope)) {
      const place = placeOf(decl, { offset: p.offset, length: p.length }, ...path);
      ctx.report(
        p.syntax
          ? diagnostic('expression-syntax', { detail: p.message }, place)
          : diagnostic('expression-unknown', { reference: p.reference, detail: p.message }, place),
      );
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(ctx, decl, v, [...path, i], scope));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) walk(ctx, decl, v, [...path, k], scope);
  }
}
