// Checks asset lineage: cycles, partition definitions, and whether each dependency's mapping fits both assets' partitions.
import { diagnostic } from '../diagnostics.ts';
import { brokenKey, placeOf, valid, type Decl } from '../model.ts';
import { checkMapping, validateDefinition, type Mapping } from '../partitions.ts';
import { resolvePartitions } from '../resolve-partitions.ts';
import type { Asset, PartitionDefinition } from '../generated/types.ts';
import type { CheckContext } from './context.ts';

export function checkDependencies(ctx: CheckContext): void {
  checkCycles(ctx);
  checkPartitionDefinitions(ctx);
  for (const decl of valid<Asset>(ctx.model, 'assets')) checkMappings(ctx, decl);
}

function depName(dep: NonNullable<Asset['deps']>[number]): string {
  return typeof dep === 'string' ? dep : dep.asset;
}

function checkCycles(ctx: CheckContext): void {
  for (const cycle of ctx.assets.cycles()) {
    // Point at the dependency that closes the cycle: the last asset's entry naming the one before it.
    const last = cycle[cycle.length - 1]!;
    const before = cycle[cycle.length - 2]!;
    const decl = ctx.model.assets.get(last)!;
    const index = (decl.value.deps ?? []).findIndex((d) => depName(d) === before);
    ctx.report(diagnostic('dependency-cycle', { cycle }, placeOf(decl, {}, 'deps', Math.max(0, index))));
  }
}

function checkPartitionDefinitions(ctx: CheckContext): void {
  // An unknown time zone is reported by checkValues (with a suggestion); not twice.
  const report = (problems: string[], decl: Decl<unknown>, ...path: (string | number)[]) => {
    for (const detail of problems.filter((p) => !/time zone/i.test(p))) ctx.report(diagnostic('partition-definition-invalid', { detail }, placeOf(decl, {}, ...path)));
  };
  for (const decl of valid<PartitionDefinition>(ctx.model, 'partitions')) {
    const resolved = resolvePartitions(ctx.model, decl.name);
    if (resolved) report(validateDefinition(resolved), decl);
  }
  for (const decl of valid<Asset>(ctx.model, 'assets')) {
    const inline = decl.value.partitions;
    if (typeof inline !== 'object') continue;
    const resolved = resolvePartitions(ctx.model, inline);
    if (resolved) report(validateDefinition(resolved), decl, 'partitions');
  }
}

function checkMappings(ctx: CheckContext, decl: Decl<Asset>): void {
  const down = resolvePartitions(ctx.model, decl.value.partitions);
  (decl.value.deps ?? []).forEach((dep, i) => {
    const upstream = ctx.model.assets.get(depName(dep));
    if (!upstream || ctx.model.broken.has(brokenKey('assets', upstream.name))) return;
    const up = resolvePartitions(ctx.model, upstream.value.partitions);
    const mapping = typeof dep === 'string' ? undefined : (dep.mapping as Mapping | undefined);
    const detail = checkMapping(down, up, mapping);
    if (detail) {
      const at = typeof dep === 'string' || !dep.mapping ? placeOf(decl, {}, 'deps', i) : placeOf(decl, {}, 'deps', i, 'mapping');
      ctx.report(diagnostic('partition-mapping-incompatible', { detail }, at));
    }
  });
}
