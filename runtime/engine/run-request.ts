// Turns a launch request (pipeline, partition, params, selection) into the input of one run, checking
// everything a user typed against the deployed plan. Pure: the caller supplies ids, dynamic keys and reuse.
import { evaluateSelection, parseSelection, type SelectionGraph } from '../spec/selection.ts';
import { keyParts, parseKey, window } from '../spec/partitions.ts';
import type { Plan, PlanParam, PlanPipeline } from '../spec/plan.ts';
import { closest } from '../spec/suggest.ts';
import type { RunInput, RunNode, RunPartition } from './run-input.ts';

export interface RunRequest {
  pipeline: string;
  partition?: string | null;
  /** Values as given; strings from a command line are converted to the param's type. */
  params?: Record<string, unknown>;
  /** An asset selection narrowing an asset pipeline. */
  select?: string | null;
}

/** A launch request that does not fit the plan: the message names the offending field. */
export class RunRequestError extends Error {
  override name = 'RunRequestError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function buildRunInput(
  plan: Plan,
  request: RunRequest,
  ids: { runId: string; retryOf?: string | null; reuse?: RunInput['reuse'] },
  /** Keys added so far to a dynamic partition definition, by its name. */
  dynamicKeys: (definition: string) => readonly string[] | undefined = () => undefined,
): RunInput {
  const pipeline = plan.pipelines[request.pipeline];
  if (!pipeline || !Object.hasOwn(plan.pipelines, request.pipeline)) {
    const hint = closest(request.pipeline, Object.keys(plan.pipelines));
    throw new RunRequestError('pipeline', `unknown pipeline \`${request.pipeline}\`${hint ? `; did you mean \`${hint}\`?` : ''}`);
  }
  return {
    runId: ids.runId,
    project: plan.project,
    pipeline: request.pipeline,
    planHash: plan.hash,
    partition: runPartition(pipeline, request.partition ?? null, dynamicKeys),
    params: runParams(pipeline.params, request.params ?? {}),
    nodes: runNodes(plan, pipeline, request.select ?? null),
    maxParallel: pipeline.maxParallel,
    resources: plan.resources,
    reuse: ids.reuse ?? {},
    retryOf: ids.retryOf ?? null,
  };
}

function runPartition(pipeline: PlanPipeline, key: string | null, dynamicKeys: (definition: string) => readonly string[] | undefined): RunPartition | null {
  const def = pipeline.partitions;
  if (!def) {
    if (key !== null) throw new RunRequestError('partition', 'this pipeline is not partitioned, so a run cannot target a partition');
    return null;
  }
  if (key === null) throw new RunRequestError('partition', 'this pipeline is partitioned: give a partition key');
  const checked = parseKey(def, key);
  if (!checked.ok) throw new RunRequestError('partition', `\`${key}\` is not a valid partition key: ${checked.detail}`);
  const parts = keyParts(def, key) ?? {};
  const dims = def.kind === 'multi' ? def.dimensions.map((d) => ({ name: d.name, def: d.partitions, key: parts[d.name] })) : [{ name: pipeline.partitionsName, def, key }];
  for (const dim of dims) {
    if (dim.def.kind !== 'dynamic' || dim.name === null || dim.key === undefined) continue;
    const known = dynamicKeys(dim.name);
    if (known && !known.includes(dim.key)) {
      throw new RunRequestError('partition', `\`${dim.key}\` has not been added to the dynamic partitions \`${dim.name}\` (weir partitions add ${dim.name} ${dim.key})`);
    }
  }
  const span = window(def, key);
  return { key, ...(def.kind === 'multi' ? { keys: parts } : {}), ...(span ? { start: span.start, end: span.end } : {}) };
}

function runParams(declared: Record<string, PlanParam>, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      const hint = closest(name, Object.keys(declared));
      throw new RunRequestError(`params.${name}`, `unknown param \`${name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`);
    }
  }
  for (const [name, param] of Object.entries(declared)) {
    if (Object.hasOwn(given, name)) out[name] = coerceParam(name, param, given[name]);
    else if (param.default !== null && param.default !== undefined) out[name] = param.default;
    else if (param.required) throw new RunRequestError(`params.${name}`, `param \`${name}\` is required`);
  }
  return out;
}

export function coerceParam(name: string, param: PlanParam, value: unknown): unknown {
  const fail = (expected: string): never => {
    throw new RunRequestError(`params.${name}`, `param \`${name}\` must be ${expected}, got ${JSON.stringify(value)}`);
  };
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (param.type) {
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'integer': {
      const n = text !== undefined && /^-?\d+$/.test(text) ? Number(text) : value;
      if (!Number.isSafeInteger(n)) fail('a whole number');
      return checkRange(name, param, n as number);
    }
    case 'number': {
      const n = text !== undefined && text !== '' ? Number(text) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail('a number');
      return checkRange(name, param, n as number);
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (text === 'true' || text === 'false') return text === 'true';
      return fail('true or false');
    case 'date':
      if (text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return text;
      return fail('a date (YYYY-MM-DD)');
    case 'enum':
      if (typeof value === 'string' && (param.values ?? []).includes(value)) return value;
      return fail(`one of ${(param.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`);
    default: {
      const unknown: never = param.type;
      return fail(`a value of known type (not ${String(unknown)})`);
    }
  }
}

function checkRange(name: string, param: PlanParam, n: number): number {
  if (param.min !== null && n < param.min) throw new RunRequestError(`params.${name}`, `param \`${name}\` must be at least ${param.min}`);
  if (param.max !== null && n > param.max) throw new RunRequestError(`params.${name}`, `param \`${name}\` must be at most ${param.max}`);
  return n;
}

function runNodes(plan: Plan, pipeline: PlanPipeline, select: string | null): RunNode[] {
  let names = pipeline.order;
  if (select !== null) {
    if (pipeline.kind !== 'assets') throw new RunRequestError('select', 'only asset pipelines can be narrowed with a selection');
    const { selection, problems } = parseSelection(select);
    if (!selection) throw new RunRequestError('select', `invalid asset selection: ${problems[0]?.message ?? 'cannot be parsed'}`);
    const chosen = evaluateSelection(selection, planGraph(plan));
    names = names.filter((n) => chosen.has(n));
    if (names.length === 0) throw new RunRequestError('select', `\`${select}\` selects no asset of pipeline ${pipeline.selection ?? ''}`.trim());
  }
  const inRun = new Set(names);
  return names.map((name): RunNode => {
    const node = pipeline.nodes[name]!;
    const needs = node.needs.filter((n) => inRun.has(n));
    if (node.kind === 'task') {
      return { name, kind: 'task', needs, step: node.step, retry: node.retry, timeoutMs: node.timeoutMs, pool: node.pool, checks: [], fingerprint: null };
    }
    const asset = plan.assets[name]!;
    return {
      name,
      kind: 'asset',
      needs,
      step: asset.step,
      retry: asset.retry,
      timeoutMs: asset.timeoutMs,
      pool: asset.pool,
      checks: asset.checks,
      fingerprint: asset.fingerprint,
    };
  });
}

/** The asset graph of a compiled plan, for evaluating selections at launch time. */
export function planGraph(plan: Plan): SelectionGraph {
  const down = new Map<string, string[]>();
  for (const [name, asset] of Object.entries(plan.assets)) {
    for (const dep of asset.deps) {
      const list = down.get(dep.asset) ?? [];
      list.push(name);
      down.set(dep.asset, list);
    }
  }
  return {
    names: Object.keys(plan.assets),
    attrs: (name) => {
      const a = plan.assets[name];
      return a ? { group: a.group, owners: a.owners, tags: a.tags, kind: a.step?.kind, partitions: a.partitionsName ?? undefined } : undefined;
    },
    upstream: (name) => plan.assets[name]?.deps.map((d) => d.asset) ?? [],
    downstream: (name) => down.get(name) ?? [],
  };
}
