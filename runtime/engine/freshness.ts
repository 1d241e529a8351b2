// Freshness: how far behind an asset's newest partition is, against its declared `max_lag` and `warn`.
// Pure: the automation tick supplies the state and records the violations.
import { keyAt, keys, type Partitions } from '../spec/partitions.ts';
import type { Plan } from '../spec/plan.ts';
import { lastTick, partKey, type AutomationState } from './automation.ts';

export interface FreshnessStatus {
  asset: string;
  partition: string;
  /** Null when the partition was never materialized. */
  lagMs: number | null;
  /** Null when fresh. */
  level: 'warn' | 'error' | null;
  detail: string;
}

export function evaluateFreshness(plan: Plan, state: AutomationState, now: Date): FreshnessStatus[] {
  const out: FreshnessStatus[] = [];
  for (const name of Object.keys(plan.assets).sort()) {
    const f = plan.assets[name]!.freshness;
    if (!f) continue;
    const partition = newestPartition(plan.assets[name]!.partitions, now);
    if (partition === undefined) continue;
    const last = state.materializations[partKey(name, partition)]?.at;
    // With a cron, lag counts from the tick the data should have been refreshed after; otherwise from the materialization.
    const tick = f.cron ? lastTick(f.cron, f.timezone, now) : undefined;
    let lagMs: number | null;
    if (f.cron) lagMs = !tick || (last && last >= tick) ? 0 : now.getTime() - tick.getTime();
    else lagMs = last ? now.getTime() - last.getTime() : null;
    const level = lagMs === null || lagMs > f.maxLagMs ? 'error' : f.warnMs !== null && lagMs > f.warnMs ? 'warn' : null;
    const where = partition === '' ? name : `${name} ${partition}`;
    const detail =
      lagMs === null
        ? `${where} was never materialized`
        : `${where} is ${Math.round(lagMs / 1000)} s behind (max_lag ${Math.round(f.maxLagMs / 1000)} s${f.warnMs !== null ? `, warn ${Math.round(f.warnMs / 1000)} s` : ''})`;
    out.push({ asset: name, partition, lagMs, level, detail });
  }
  return out;
}

/** The partition freshness is about: the last complete one, or '' when unpartitioned. */
function newestPartition(def: Partitions | null, now: Date): string | undefined {
  if (!def) return '';
  if (def.kind === 'time') return keyAt(def, now, 'previous');
  return keys(def, { now }).at(-1);
}
