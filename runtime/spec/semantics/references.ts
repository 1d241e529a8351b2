// Checks that every name a declaration mentions exists, and that resources are of the kind their user needs.
import { diagnostic } from '../diagnostics.ts';
import type { Place } from '../diagnostics.ts';
import { isRecord, placeOf, valid, type Decl } from '../model.ts';
import { closest } from '../suggest.ts';
import type { Asset, PartitionDefinition, Pipeline, Schedule, Sensor, Step } from '../generated/types.ts';
import { stepSites, type CheckContext, type StepSite } from './context.ts';

export function checkReferences(ctx: CheckContext): void {
  for (const decl of valid<Asset>(ctx.model, 'assets')) checkAsset(ctx, decl);
  for (const decl of valid<Pipeline>(ctx.model, 'pipelines')) checkPipeline(ctx, decl);
  for (const decl of valid<Schedule>(ctx.model, 'schedules')) {
    known(ctx, 'pipeline', decl.value.pipeline, ctx.model.pipelines, () => placeOf(decl, {}, 'pipeline'));
  }
  for (const decl of valid<Sensor>(ctx.model, 'sensors')) checkSensor(ctx, decl);
  for (const decl of valid<PartitionDefinition>(ctx.model, 'partitions')) {
    if (decl.value.kind !== 'multi') continue;
    decl.value.dimensions.forEach((dim, i) => {
      known(ctx, 'partition definition', dim, ctx.model.partitions, () => placeOf(decl, {}, 'dimensions', i));
    });
  }
  for (const site of stepSites(ctx)) checkStep(ctx, site);
  checkEnvironments(ctx);
}

/** Reports `name` unless `index` has it; returns whether it exists. The place is computed only for a report. */
export function known(ctx: CheckContext, what: string, name: string, index: ReadonlyMap<string, unknown>, place: () => Place): boolean {
  if (index.has(name)) return true;
  ctx.report(diagnostic('unknown-reference', { what, name, suggestion: closest(name, index.keys()) }, place()));
  return false;
}

function checkAsset(ctx: CheckContext, decl: Decl<Asset>): void {
  const asset = decl.value;
  if (typeof asset.partitions === 'string') {
    known(ctx, 'partition definition', asset.partitions, ctx.model.partitions, () => placeOf(decl, {}, 'partitions'));
  }
  (asset.deps ?? []).forEach((dep, i) => {
    const name = typeof dep === 'string' ? dep : dep.asset;
    const at = () => (typeof dep === 'string' ? placeOf(decl, {}, 'deps', i) : placeOf(decl, {}, 'deps', i, 'asset'));
    known(ctx, 'asset', name, ctx.model.assets, at);
  });
  if (asset.pool !== undefined) known(ctx, 'pool', asset.pool, ctx.model.pools, () => placeOf(decl, {}, 'pool'));
}

function checkPipeline(ctx: CheckContext, decl: Decl<Pipeline>): void {
  const p = decl.value;
  if (typeof p.partitions === 'string') {
    known(ctx, 'partition definition', p.partitions, ctx.model.partitions, () => placeOf(decl, {}, 'partitions'));
  }
  for (const [name, task] of Object.entries(p.tasks ?? {})) {
    if (task.pool !== undefined) known(ctx, 'pool', task.pool, ctx.model.pools, () => placeOf(decl, {}, 'tasks', name, 'pool'));
  }
}

function checkSensor(ctx: CheckContext, decl: Decl<Sensor>): void {
  const s = decl.value;
  known(ctx, 'pipeline', s.start.pipeline, ctx.model.pipelines, () => placeOf(decl, {}, 'start', 'pipeline'));
  if (s.kind === 'asset') known(ctx, 'asset', s.asset, ctx.model.assets, () => placeOf(decl, {}, 'asset'));
}

/** Which kind of resource a step or check needs, and whether it must name one. */
function resourceNeed(site: StepSite): { kind: string; label: string } | undefined {
  if (site.kind === 'check') {
    const c = site.check;
    return c.kind === 'command' ? undefined : { kind: 'postgres', label: `a \`${c.kind}\` check` };
  }
  const step: Step = site.step;
  switch (step.kind) {
    case 'sql':
      return { kind: 'postgres', label: 'a `sql` step' };
    case 'http':
      return { kind: 'http', label: 'an `http` step' };
    case 'command':
    case 'node':
    case 'wait':
    case 'approval':
    case 'pipeline':
      return undefined;
    default: {
      const unknown: never = step;
      return unknown;
    }
  }
}

function checkStep(ctx: CheckContext, site: StepSite): void {
  const target = site.kind === 'check' ? site.check : site.step;
  const need = resourceNeed(site);
  const resource = 'resource' in target && typeof target.resource === 'string' ? target.resource : undefined;
  if (need && resource !== undefined) {
    const at = () => placeOf(site.decl, {}, ...site.path, 'resource');
    if (known(ctx, 'resource', resource, ctx.model.resources, at)) {
      const actual = ctx.model.resources.get(resource)!.value.kind;
      if (actual !== need.kind) {
        ctx.report(diagnostic('resource-kind-mismatch', { user: need.label, resource, actual, expected: need.kind }, at()));
      }
    }
  }
  if (site.kind === 'check') return;
  const step = site.step;
  if (step.kind === 'pipeline') {
    known(ctx, 'pipeline', step.pipeline, ctx.model.pipelines, () => placeOf(site.decl, {}, ...site.path, 'pipeline'));
  } else if (step.kind === 'wait' && 'asset' in step.until && typeof step.until.asset === 'string') {
    known(ctx, 'asset', step.until.asset, ctx.model.assets, () => placeOf(site.decl, {}, ...site.path, 'until', 'asset'));
  }
}

function checkEnvironments(ctx: CheckContext): void {
  const config = ctx.model.config;
  if (!config) return;
  for (const [env, overlay] of Object.entries(ctx.model.environments)) {
    if (!isRecord(overlay)) continue;
    for (const section of ['resources', 'pools'] as const) {
      const entries = overlay[section];
      if (!isRecord(entries)) continue;
      for (const name of Object.keys(entries)) {
        const index = section === 'resources' ? ctx.model.resources : ctx.model.pools;
        known(ctx, section === 'resources' ? 'resource' : 'pool', name, index, () => config.place(['environments', env, section, name], { key: true }));
      }
    }
  }
}
