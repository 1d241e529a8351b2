// compile(): a validated project model → the execution plan. Pure: no I/O, no clock, no environment.
import { dependencyName } from './asset-graph.ts';
import { hashOf, sha256 } from './canonical-json.ts';
import type { Decl, ProjectModel } from './model.ts';
import { valid } from './model.ts';
import { defaultMapping, type Mapping } from './partitions.ts';
import { parseDuration } from './durations.ts';
import { resolvePartitions } from './resolve-partitions.ts';
import { applyEnvironment, type Layer } from './environment.ts';
import { NameGraph } from './graph.ts';
import { pipelinePartitions } from './semantics/pipelines.ts';
import { assetFiles, referencedFiles, normalizeProjectPath } from './semantics/files.ts';
import { stepSites, type CheckContext } from './semantics/context.ts';
import type { Asset, Pipeline, Retry, Schedule, Sensor } from './generated/types.ts';
import {
  PLAN_FORMAT,
  type Plan,
  type PlanAsset,
  type PlanAutomation,
  type PlanNode,
  type PlanPipeline,
  type PlanRetry,
  type PlanSchedule,
  type PlanSensor,
  type PlanSource,
} from './plan.ts';

/** What Weir assumes when neither the project nor the pipeline nor the step says. */
export const BUILTIN_DEFAULTS = {
  retry: { attempts: 1, backoff: 'exponential', initial: '10s', max: '5m' } satisfies Retry,
  timeout: '1h',
  maxParallel: 16,
  sensorEvery: '30s',
} as const;

export interface CompileInput {
  /** The semantic context of a model without errors (see checkSemantics). */
  ctx: CheckContext;
  environment: string | undefined;
  /** Contents of the files steps reference, by project-relative path. */
  fileContents: ReadonlyMap<string, string>;
}

export function compile({ ctx, environment, fileContents }: CompileInput): Plan {
  const model = ctx.model;
  const layer = applyEnvironment(model, environment);
  const files: Record<string, string> = {};
  for (const site of stepSites(ctx)) {
    for (const ref of referencedFiles(site)) {
      const path = normalizeProjectPath(ref.file);
      const text = path === undefined ? undefined : fileContents.get(path);
      if (path !== undefined && text !== undefined) files[path] = sha256(text);
    }
  }
  const partitions: Plan['partitions'] = {};
  for (const decl of valid(model, 'partitions')) {
    const resolved = resolvePartitions(model, decl.name);
    if (resolved) partitions[decl.name] = resolved;
  }
  const assets: Plan['assets'] = {};
  for (const decl of valid<Asset>(model, 'assets')) assets[decl.name] = compileAsset(ctx, decl, layer, files);
  const pipelines: Plan['pipelines'] = {};
  for (const decl of valid<Pipeline>(model, 'pipelines')) pipelines[decl.name] = compilePipeline(ctx, decl, layer);
  const schedules: Plan['schedules'] = {};
  for (const decl of valid<Schedule>(model, 'schedules')) schedules[decl.name] = compileSchedule(decl);
  const sensors: Plan['sensors'] = {};
  for (const decl of valid<Sensor>(model, 'sensors')) sensors[decl.name] = compileSensor(decl);
  const body: Omit<Plan, 'hash'> = {
    format: PLAN_FORMAT,
    project: model.project,
    environment: environment ?? null,
    resources: layer.resources,
    pools: layer.pools,
    partitions,
    assets,
    pipelines,
    schedules,
    sensors,
    files: sortKeys(files),
  };
  return { ...body, hash: hashOf(body) };
}

function ms(duration: string | undefined, fallback: string): number {
  return parseDuration(duration ?? fallback) ?? parseDuration(fallback)!;
}

function source(decl: Decl<unknown>): PlanSource {
  const p = decl.doc.place(decl.path, { key: true });
  return { file: p.file, line: p.line };
}

/** Layers retry settings field by field: built-in → project → pipeline → asset or task. */
function retryOf(...layers: (Retry | undefined)[]): PlanRetry {
  const r: Retry = Object.assign({}, BUILTIN_DEFAULTS.retry, ...layers.filter(Boolean));
  return {
    attempts: r.attempts ?? 1,
    backoff: r.backoff ?? 'exponential',
    initialMs: ms(r.initial, BUILTIN_DEFAULTS.retry.initial),
    maxMs: ms(r.max, BUILTIN_DEFAULTS.retry.max),
  };
}

function compileAsset(ctx: CheckContext, decl: Decl<Asset>, layer: Layer, files: Record<string, string>): PlanAsset {
  const a = decl.value;
  const down = resolvePartitions(ctx.model, a.partitions);
  const deps = (a.deps ?? []).map((dep) => {
    const name = dependencyName(dep);
    const declared = typeof dep === 'string' ? undefined : (dep.mapping as Mapping | undefined);
    const up = resolvePartitions(ctx.model, ctx.model.assets.get(name)?.value.partitions);
    return { asset: name, mapping: declared ?? defaultMapping(down, up) ?? null };
  });
  const automation: PlanAutomation | null =
    a.automation === undefined
      ? null
      : typeof a.automation === 'string'
        ? { kind: a.automation }
        : { kind: 'on_cron', cron: a.automation.on_cron, timezone: a.automation.timezone ?? 'UTC' };
  const definition = {
    description: a.description ?? null,
    group: a.group ?? 'default',
    owners: a.owners ?? [],
    tags: a.tags ?? {},
    metadata: a.metadata ?? {},
    partitionsName: typeof a.partitions === 'string' ? a.partitions : null,
    partitions: down ?? null,
    deps,
    step: a.step ?? null,
    retry: retryOf(layer.defaults.retry, a.retry),
    timeoutMs: ms(a.timeout ?? layer.defaults.timeout, BUILTIN_DEFAULTS.timeout),
    pool: a.pool ?? null,
    checks: (a.checks ?? []).map((check) => ({ name: check.name, severity: check.severity ?? 'error', check })),
    freshness: a.freshness
      ? {
          maxLagMs: ms(a.freshness.max_lag, '1d'),
          warnMs: a.freshness.warn === undefined ? null : ms(a.freshness.warn, a.freshness.max_lag),
          cron: a.freshness.cron ?? null,
          timezone: a.freshness.timezone ?? 'UTC',
        }
      : null,
    automation,
  };
  const own: Record<string, string> = {};
  for (const path of assetFiles(decl)) if (files[path]) own[path] = files[path];
  return { ...definition, fingerprint: hashOf({ definition, files: own }), source: source(decl) };
}

function compilePipeline(ctx: CheckContext, decl: Decl<Pipeline>, layer: Layer): PlanPipeline {
  const p = decl.value;
  const nodes: Record<string, PlanNode> = {};
  let order: string[];
  if (p.select !== undefined) {
    const selected = ctx.selected(decl.name);
    order = ctx.assets.order(new Set(selected));
    for (const name of order) nodes[name] = { kind: 'asset', needs: ctx.assets.upstream(name).filter((u) => selected.has(u)) };
  } else {
    const tasks = p.tasks ?? {};
    const graph = new NameGraph(Object.keys(tasks));
    for (const [name, task] of Object.entries(tasks)) for (const need of task.needs ?? []) graph.addEdge(need, name);
    order = graph.order();
    for (const name of order) {
      const t = tasks[name]!;
      nodes[name] = {
        kind: 'task',
        needs: t.needs ?? [],
        step: t.step,
        retry: retryOf(layer.defaults.retry, p.defaults?.retry, t.retry),
        timeoutMs: ms(t.timeout ?? p.defaults?.timeout ?? layer.defaults.timeout, BUILTIN_DEFAULTS.timeout),
        pool: t.pool ?? null,
        description: t.description ?? null,
      };
    }
  }
  const params: PlanPipeline['params'] = {};
  for (const [name, param] of Object.entries(p.params ?? {})) {
    params[name] = {
      type: param.type,
      default: param.default ?? null,
      required: param.required ?? param.default === undefined,
      description: param.description ?? null,
      values: param.values ?? null,
      min: param.min ?? null,
      max: param.max ?? null,
    };
  }
  return {
    kind: p.select !== undefined ? 'assets' : 'tasks',
    description: p.description ?? null,
    selection: p.select ?? null,
    partitionsName: partitionsNameOf(ctx, p, decl.name),
    partitions: pipelinePartitions(ctx.model, p, ctx.selected(decl.name)) ?? null,
    params,
    concurrency: p.concurrency
      ? { limit: p.concurrency.limit, key: p.concurrency.key ?? null, behavior: p.concurrency.behavior ?? 'queue' }
      : null,
    maxParallel: p.max_parallel ?? BUILTIN_DEFAULTS.maxParallel,
    tags: p.tags ?? {},
    nodes,
    order,
    source: source(decl),
  };
}

function partitionsNameOf(ctx: CheckContext, p: Pipeline, name: string): string | null {
  if (typeof p.partitions === 'string') return p.partitions;
  for (const asset of ctx.selected(name)) {
    const declared = ctx.model.assets.get(asset)?.value.partitions;
    if (declared !== undefined) return typeof declared === 'string' ? declared : null;
  }
  return null;
}

function compileSchedule(decl: Decl<Schedule>): PlanSchedule {
  const s = decl.value;
  return {
    pipeline: s.pipeline,
    description: s.description ?? null,
    cron: s.cron,
    timezone: s.timezone ?? 'UTC',
    partition: s.partition ?? null,
    params: s.params ?? {},
    overlap: s.overlap ?? 'skip',
    catchupMs: s.catchup === undefined ? null : ms(s.catchup, '0s'),
    jitterMs: s.jitter === undefined ? null : ms(s.jitter, '0s'),
    paused: s.paused ?? false,
    source: source(decl),
  };
}

function compileSensor(decl: Decl<Sensor>): PlanSensor {
  const s = decl.value;
  return { kind: s.kind, everyMs: ms(s.every, BUILTIN_DEFAULTS.sensorEvery), paused: s.paused ?? false, spec: s, source: source(decl) };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
