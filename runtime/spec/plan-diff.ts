// What changes between two plans: things added, removed or changed (with the fields), and every downstream asset affected.
import { canonicalJson } from './canonical-json.ts';
import type { Plan } from './plan.ts';

export const DIFF_SECTIONS = ['assets', 'pipelines', 'schedules', 'sensors', 'resources', 'pools', 'partitions'] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export interface Change {
  section: DiffSection;
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: the fields whose value differs; `files` when only referenced file contents did. */
  fields: string[];
}

export interface Affected {
  asset: string;
  /** The changed things it is downstream of (or uses). */
  because: string[];
}

export interface PlanDiff {
  base: string | null;
  head: string;
  changes: Change[];
  /** Assets not changed themselves whose inputs changed: downstream of a changed asset, or using a changed resource, pool or partition definition. */
  affected: Affected[];
}

// Positions move whenever a file is edited; they are not changes of behaviour.
const IGNORED_FIELDS = new Set(['source', 'fingerprint']);

export function diffPlans(base: Plan | undefined, head: Plan): PlanDiff {
  const changes: Change[] = [];
  for (const section of DIFF_SECTIONS) {
    const before = (base?.[section] ?? {}) as Record<string, Record<string, unknown>>;
    const after = head[section] as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(after).sort()) {
      if (!Object.hasOwn(before, name)) changes.push({ section, name, change: 'added', fields: [] });
      else {
        const fields = changedFields(before[name]!, after[name]!);
        if (fields.length) changes.push({ section, name, change: 'changed', fields });
      }
    }
    for (const name of Object.keys(before).sort()) {
      if (!Object.hasOwn(after, name)) changes.push({ section, name, change: 'removed', fields: [] });
    }
  }
  return { base: base?.hash ?? null, head: head.hash, changes, affected: affectedAssets(base, head, changes) };
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !IGNORED_FIELDS.has(k)).sort();
  const fields = keys.filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
  // Same definition, different fingerprint: a file the asset references changed.
  if (fields.length === 0 && 'fingerprint' in after && before.fingerprint !== after.fingerprint) return ['files'];
  return fields;
}

/** Names of resources and pools an asset's step and checks use. */
function uses(asset: Plan['assets'][string]): { resources: string[]; pool: string | null; partitions: string | null } {
  const resources = new Set<string>();
  const add = (x: unknown) => {
    if (x && typeof x === 'object' && 'resource' in x && typeof x.resource === 'string') resources.add(x.resource);
  };
  add(asset.step);
  for (const c of asset.checks) add(c.check);
  return { resources: [...resources], pool: asset.pool, partitions: asset.partitionsName };
}

function affectedAssets(base: Plan | undefined, head: Plan, changes: Change[]): Affected[] {
  const changedAssets = new Set(changes.filter((c) => c.section === 'assets').map((c) => c.name));
  const reasons = new Map<string, Set<string>>();
  const mark = (asset: string, because: string) => {
    if (changedAssets.has(asset)) return;
    let set = reasons.get(asset);
    if (!set) reasons.set(asset, (set = new Set()));
    set.add(because);
  };
  // Downstream edges over both plans, so a removed asset's former consumers are found too.
  const downstream = new Map<string, Set<string>>();
  for (const plan of base ? [base, head] : [head]) {
    for (const [name, asset] of Object.entries(plan.assets)) {
      for (const dep of asset.deps) {
        let set = downstream.get(dep.asset);
        if (!set) downstream.set(dep.asset, (set = new Set()));
        set.add(name);
      }
    }
  }
  for (const start of changedAssets) {
    const queue = [start];
    const seen = new Set([start]);
    for (let i = 0; i < queue.length; i++) {
      for (const next of downstream.get(queue[i]!) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
        if (Object.hasOwn(head.assets, next)) mark(next, `asset ${start}`);
      }
    }
  }
  const changedOf = (section: DiffSection) => new Set(changes.filter((c) => c.section === section && c.change === 'changed').map((c) => c.name));
  const resources = changedOf('resources');
  const pools = changedOf('pools');
  const partitions = changedOf('partitions');
  for (const [name, asset] of Object.entries(head.assets)) {
    const u = uses(asset);
    for (const r of u.resources) if (resources.has(r)) mark(name, `resource ${r}`);
    if (u.pool && pools.has(u.pool)) mark(name, `pool ${u.pool}`);
    if (u.partitions && partitions.has(u.partitions)) mark(name, `partitions ${u.partitions}`);
  }
  return [...reasons]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([asset, because]) => ({ asset, because: [...because].sort() }));
}

const SINGULAR: Record<DiffSection, string> = {
  assets: 'asset',
  pipelines: 'pipeline',
  schedules: 'schedule',
  sensors: 'sensor',
  resources: 'resource',
  pools: 'pool',
  partitions: 'partitions',
};
const SIGN = { added: '+', removed: '-', changed: '~' } as const;

export function renderDiff(diff: PlanDiff, format: 'text' | 'markdown', baseLabel: string): string {
  const lines: string[] = [];
  const md = format === 'markdown';
  const code = (s: string) => (md ? `\`${s}\`` : s);
  if (md) lines.push(`### weir plan against ${code(baseLabel)}`, '');
  if (diff.changes.length === 0) {
    lines.push(`No changes against ${baseLabel}.`);
    return lines.join('\n') + '\n';
  }
  const counts = (['added', 'changed', 'removed'] as const).map((k) => `${diff.changes.filter((c) => c.change === k).length} ${k}`);
  lines.push(`${counts.join(', ')}; ${diff.affected.length} downstream asset${diff.affected.length === 1 ? '' : 's'} affected (against ${baseLabel}).`, '');
  if (md) lines.push('| | what | name | fields |', '|---|---|---|---|');
  for (const c of diff.changes) {
    const fields = c.fields.length ? c.fields.join(', ') : '';
    if (md) lines.push(`| ${SIGN[c.change]} | ${SINGULAR[c.section]} | ${code(c.name)} | ${fields} |`);
    else lines.push(`  ${SIGN[c.change]} ${SINGULAR[c.section]} ${c.name}${fields ? ` (${fields})` : ''}`);
  }
  if (diff.affected.length) {
    lines.push('', md ? '**Affected downstream**' : 'Affected downstream:');
    for (const a of diff.affected) lines.push(`${md ? '-' : '   '} ${code(a.asset)} ← ${a.because.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
