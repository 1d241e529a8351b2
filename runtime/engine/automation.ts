// Declarative automation: which asset partitions should run now, and why, in the user's words.
// Pure: the caller reads the state from PostgreSQL (see store/automation.ts) and acts on the decisions.
import { createHash } from 'node:crypto';
import { nextFires } from '../spec/cron.ts';
import { upstreamKeys } from '../spec/partition-mapping.ts';
import { axisOf, keyAt, keys, lastPosition, type Partitions } from '../spec/partitions.ts';
import type { Plan, PlanAsset, PlanAutomation } from '../spec/plan.ts';

/** Partitions a rule looks at, newest first: automation never reaches into old history (that is what backfills are for). */
export const LOOKBACK_PARTITIONS = 7;

export interface MaterializationFact {
  at: Date;
  fingerprint: string | null;
}

/** A check's latest result on one asset partition. */
export interface CheckFact {
  name: string;
  severity: 'error' | 'warn';
  passed: boolean;
}

/** What the evaluator needs to know, keyed by `partKey(asset, partition)`; unpartitioned assets use partition ''. */
export interface AutomationState {
  /** Latest materialization per asset partition. */
  materializations: Record<string, MaterializationFact>;
  /** Latest materialization of any partition, per asset (for `all` mappings). */
  latestByAsset: Record<string, MaterializationFact & { partition: string }>;
  /** Latest result of each check per asset partition. */
  checks: Record<string, CheckFact[]>;
  /** Asset partitions a queued or running run is producing → that run's id. */
  inFlight: Record<string, string>;
  /** Dynamic partition keys by definition name. */
  dynamicKeys?: Record<string, string[]>;
}

export interface Decision {
  asset: string;
  partition: string;
  action: 'run' | 'skip';
  reasons: string[];
  /** For `run`: the deterministic run id of this (asset, partition, reason epoch), and the pipeline to run it in. */
  runId?: string;
  pipeline?: string;
}

export const partKey = (asset: string, partition: string): string => `${asset}\u0000${partition}`;

export function evaluateAutomation(plan: Plan, state: AutomationState, now: Date): { decisions: Decision[] } {
  const decisions: Decision[] = [];
  for (const name of Object.keys(plan.assets).sort()) {
    const asset = plan.assets[name]!;
    if (!asset.automation || !asset.step) continue;
    decisions.push(...evaluateAsset(plan, name, asset, asset.automation, state, now));
  }
  return { decisions };
}

/** A rule's verdict before the common gates (in flight, failed checks, pipeline) apply. */
type Verdict = { run: false; reasons: string[] } | { run: true; reasons: string[]; epoch: string; upstream: UpstreamPart[] };

interface UpstreamPart {
  asset: string;
  partition: string;
}

function evaluateAsset(plan: Plan, name: string, asset: PlanAsset, rule: PlanAutomation, state: AutomationState, now: Date): Decision[] {
  const out: Decision[] = [];
  for (const partition of candidatePartitions(plan, asset, rule, state, now)) {
    const verdict = judge(plan, name, asset, rule, partition, state, now);
    out.push(gate(plan, name, asset, partition, verdict, state));
  }
  return out;
}

function judge(plan: Plan, name: string, asset: PlanAsset, rule: PlanAutomation, partition: string, state: AutomationState, now: Date): Verdict {
  switch (rule.kind) {
    case 'eager':
      return judgeEager(plan, name, asset, partition, state, now);
    case 'missing':
      return judgeMissing(plan, name, asset, partition, state, now);
    case 'on_cron':
      return judgeOnCron(plan, name, asset, rule, partition, state, now);
    default: {
      const _exhaustive: never = rule;
      return _exhaustive;
    }
  }
}

function judgeEager(plan: Plan, name: string, asset: PlanAsset, partition: string, state: AutomationState, now: Date): Verdict {
  const own = state.materializations[partKey(name, partition)];
  const ups = upstreamParts(plan, asset, partition, state, now);
  if (ups.length === 0) return { run: false, reasons: ['eager: no upstream assets, nothing to react to'] };
  const missing = ups.filter((u) => !materializedAt(state, u));
  if (missing.length > 0) return { run: false, reasons: missing.map((u) => `waiting: upstream ${label(u)} was never materialized`) };
  // A parent being rebuilt now would make this run stale on arrival: wait for it.
  const busy = ups.filter((u) => state.inFlight[partKey(u.asset, u.partition)]);
  if (busy.length > 0) return { run: false, reasons: busy.map((u) => `waiting: upstream ${label(u)} is being produced by run ${state.inFlight[partKey(u.asset, u.partition)]}`) };
  const newer = ups.filter((u) => !own || materializedAt(state, u)!.at > own.at);
  if (newer.length === 0) return { run: false, reasons: [`up to date: materialized at ${own!.at.toISOString()}, after every upstream`] };
  const reasons = newer.map((u) =>
    own
      ? `upstream ${label(u)} was materialized at ${materializedAt(state, u)!.at.toISOString()} after this partition (${own.at.toISOString()})`
      : `upstream ${label(u)} was materialized at ${materializedAt(state, u)!.at.toISOString()} and this partition never was`,
  );
  return { run: true, reasons, epoch: ups.map((u) => `${u.asset}@${u.partition}@${materializedAt(state, u)!.at.getTime()}`).join(','), upstream: ups };
}

function judgeMissing(plan: Plan, name: string, asset: PlanAsset, partition: string, state: AutomationState, now: Date): Verdict {
  if (state.materializations[partKey(name, partition)]) return { run: false, reasons: ['materialized: nothing missing'] };
  const within = asset.partitions ? ` (within the last ${LOOKBACK_PARTITIONS} partitions)` : '';
  // The fingerprint is part of the epoch: a failed attempt is retried once the code changes, not on every tick.
  return { run: true, reasons: [`missing: never materialized${within}`], epoch: `missing@${asset.fingerprint}`, upstream: upstreamParts(plan, asset, partition, state, now) };
}

function judgeOnCron(
  plan: Plan,
  name: string,
  asset: PlanAsset,
  rule: { cron: string; timezone: string },
  partition: string,
  state: AutomationState,
  now: Date,
): Verdict {
  const tick = lastTick(rule.cron, rule.timezone, now);
  if (!tick) return { run: false, reasons: [`on_cron ${rule.cron}: no tick yet`] };
  const own = state.materializations[partKey(name, partition)];
  if (own && own.at >= tick) return { run: false, reasons: [`on_cron ${rule.cron}: already materialized at ${own.at.toISOString()} since the tick at ${tick.toISOString()}`] };
  const ups = upstreamParts(plan, asset, partition, state, now);
  const stale = ups.filter((u) => !(materializedAt(state, u)?.at && materializedAt(state, u)!.at >= tick));
  if (stale.length > 0) {
    return { run: false, reasons: stale.map((u) => `on_cron ${rule.cron}: tick at ${tick.toISOString()}, waiting for upstream ${label(u)} to update since`) };
  }
  const why = ups.length > 0 ? 'and all upstreams updated since' : 'and no upstreams to wait for';
  return { run: true, reasons: [`on_cron ${rule.cron}: tick at ${tick.toISOString()} ${why}`], epoch: `cron@${tick.getTime()}`, upstream: ups };
}

/** The common gates: a run already producing the partition, a failed `error` check upstream, no pipeline to run in. */
function gate(plan: Plan, name: string, asset: PlanAsset, partition: string, verdict: Verdict, state: AutomationState): Decision {
  const skip = (reasons: string[]): Decision => ({ asset: name, partition, action: 'skip', reasons });
  if (!verdict.run) return skip(verdict.reasons);
  const running = state.inFlight[partKey(name, partition)];
  if (running) return skip([...verdict.reasons, `skipped: run ${running} is already producing this partition`]);
  // Failed error checks gate consumption across runs, not only inside the run that ran them.
  const failed = verdict.upstream.flatMap((u) =>
    (state.checks[partKey(u.asset, u.partition)] ?? []).filter((c) => c.severity === 'error' && !c.passed).map((c) => `skipped: error check ${c.name} failed on upstream ${label(u)}`),
  );
  if (failed.length > 0) return skip([...verdict.reasons, ...failed]);
  const pipeline = pipelineFor(plan, name, asset);
  if (!pipeline) return skip([...verdict.reasons, `skipped: no pipeline selects ${name} with matching partitions, so there is nothing to run it in`]);
  return { asset: name, partition, action: 'run', reasons: verdict.reasons, runId: automationRunId(name, partition, verdict.epoch), pipeline };
}

/** Deterministic per (asset, partition, reason epoch): a second tick for the same cause starts nothing new. */
export function automationRunId(asset: string, partition: string, epoch: string): string {
  const hash = createHash('sha256').update(`${asset}\u0000${partition}\u0000${epoch}`).digest('hex').slice(0, 12);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  return `a-${safe(asset)}-${partition === '' ? '_' : safe(partition)}-${hash}`;
}

/** The first pipeline (by name) whose nodes include the asset and whose partitions are the asset's. */
export function pipelineFor(plan: Plan, name: string, asset: PlanAsset): string | undefined {
  const same = (a: Partitions | null, b: Partitions | null) => JSON.stringify(a) === JSON.stringify(b);
  return Object.keys(plan.pipelines)
    .sort()
    .find((p) => {
      const pipeline = plan.pipelines[p]!;
      return pipeline.kind === 'assets' && pipeline.nodes[name]?.kind === 'asset' && same(pipeline.partitions, asset.partitions);
    });
}

function upstreamParts(plan: Plan, asset: PlanAsset, partition: string, state: AutomationState, now: Date): UpstreamPart[] {
  const out: UpstreamPart[] = [];
  for (const dep of asset.deps) {
    const up = plan.assets[dep.asset];
    if (!up) continue;
    const mapped = upstreamKeys(asset.partitions ?? undefined, up.partitions ?? undefined, dep.mapping ?? undefined, partition, {
      now,
      dynamicKeys: dynamicFor(plan, up.partitions, state),
    });
    if (mapped !== 'all') {
      for (const key of mapped) out.push({ asset: dep.asset, partition: key });
    } else if (!up.partitions) {
      out.push({ asset: dep.asset, partition: '' });
    } else {
      // Every partition: the newest materialization of any of them stands for the whole asset.
      out.push({ asset: dep.asset, partition: state.latestByAsset[dep.asset]?.partition ?? '*' });
    }
  }
  return out;
}

/** The partitions a rule considers: the last few that exist (on_cron: the one the tick closed). */
export function candidatePartitions(plan: Plan, asset: PlanAsset, rule: PlanAutomation | null, state: AutomationState, now: Date): string[] {
  const def = asset.partitions;
  if (!def) return [''];
  if (rule?.kind === 'on_cron' && def.kind === 'time') {
    const tick = lastTick(rule.cron, rule.timezone, now);
    const key = tick ? keyAt(def, tick, 'previous') : undefined;
    return key ? [key] : [];
  }
  return recentKeys(def, now, LOOKBACK_PARTITIONS, dynamicFor(plan, def, state));
}

/** The newest `n` keys of a definition that exist at `now`, newest first. */
export function recentKeys(def: Partitions, now: Date, n: number, dynamicKeys?: readonly string[]): string[] {
  if (def.kind === 'time') {
    const axis = axisOf(def);
    const out: string[] = [];
    for (let p = lastPosition(axis, now); p >= axis.first && out.length < n; p = axis.previous(p)) out.push(axis.keyOf(p));
    return out;
  }
  // Static, dynamic and multi definitions are listed whole: they are small next to a time axis.
  return keys(def, { now, dynamicKeys }).slice(-n).reverse();
}

function dynamicFor(plan: Plan, def: Partitions | null, state: AutomationState): string[] | undefined {
  if (!def || def.kind !== 'dynamic') return undefined;
  const name = Object.keys(plan.partitions).find((n) => JSON.stringify(plan.partitions[n]) === JSON.stringify(def));
  return name ? state.dynamicKeys?.[name] : undefined;
}

/** The newest fire of a cron at or before `now`, looking back at most a year. */
export function lastTick(cron: string, timezone: string, now: Date): Date | undefined {
  for (const spanMs of [3_600_000, 86_400_000, 8 * 86_400_000, 32 * 86_400_000, 366 * 86_400_000]) {
    const fires = nextFires(cron, timezone, new Date(now.getTime() - spanMs), 500)
      .map((t) => new Date(t))
      .filter((t) => t <= now);
    // A full page of fires may not reach `now`; a shorter span then found the newest already.
    if (fires.length > 0 && fires.length < 500) return fires[fires.length - 1];
    if (fires.length === 500) return undefined;
  }
  return undefined;
}

function materializedAt(state: AutomationState, u: UpstreamPart): MaterializationFact | undefined {
  if (u.partition === '*') return undefined;
  return state.materializations[partKey(u.asset, u.partition)];
}

const label = (u: UpstreamPart): string => (u.partition === '' ? u.asset : `${u.asset} ${u.partition}`);
