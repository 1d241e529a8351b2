// Turns the partitions an asset or pipeline declares (a name or an inline definition) into the plan's normalised form.
import type { PartitionDefinition } from './generated/types.ts';
import type { ProjectModel } from './model.ts';
import type { Partitions } from './partitions.ts';

type Single = Exclude<Partitions, { kind: 'multi' }>;

/** The normalised definition, or undefined when it is absent or cannot be resolved (a reference error is reported elsewhere). */
export function resolvePartitions(model: ProjectModel, ref: string | PartitionDefinition | undefined): Partitions | undefined {
  if (ref === undefined) return undefined;
  const def = typeof ref === 'string' ? model.partitions.get(ref)?.value : ref;
  if (!def || typeof def !== 'object') return undefined;
  if (def.kind !== 'multi') return single(def);
  const dimensions: { name: string; partitions: Single }[] = [];
  for (const name of def.dimensions) {
    const dim = model.partitions.get(name)?.value;
    if (!dim || typeof dim !== 'object' || dim.kind === 'multi') return undefined;
    dimensions.push({ name, partitions: single(dim) });
  }
  return { kind: 'multi', dimensions };
}

function single(def: Exclude<PartitionDefinition, { kind: 'multi' }>): Single {
  switch (def.kind) {
    case 'time':
      return {
        kind: 'time',
        cadence: def.cadence,
        start: def.start,
        ...(def.end !== undefined ? { end: def.end } : {}),
        timezone: def.timezone ?? 'UTC',
      };
    case 'static':
      return { kind: 'static', keys: [...def.keys] };
    case 'dynamic':
      return { kind: 'dynamic' };
    default: {
      const unknown: never = def;
      return unknown;
    }
  }
}
