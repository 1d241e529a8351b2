// evaluateAutomation and evaluateFreshness on hand-made plans and state: no database, no Temporal.
import { describe, expect, it } from 'vitest';
import { automationRunId, evaluateAutomation, lastTick, partKey, type AutomationState } from '../../runtime/engine/automation.ts';
import { evaluateFreshness } from '../../runtime/engine/freshness.ts';
import type { Partitions } from '../../runtime/spec/partitions.ts';
import type { Plan, PlanAsset, PlanAutomation, PlanPipeline } from '../../runtime/spec/plan.ts';

const DAILY: Partitions = { kind: 'time', cadence: 'daily', start: '2026-01-01', timezone: 'UTC' };
const NOW = new Date('2026-03-05T12:00:00Z');

function asset(deps: string[], automation: PlanAutomation | null, extra: Partial<PlanAsset> = {}): PlanAsset {
  return {
    description: null, group: 'default', owners: [], tags: {}, metadata: {},
    partitionsName: 'daily', partitions: DAILY,
    deps: deps.map((a) => ({ asset: a, mapping: null })),
    step: { kind: 'command', run: ['true'] } as PlanAsset['step'],
    retry: { attempts: 1, backoff: 'fixed', initialMs: 0, maxMs: 0 }, timeoutMs: 60_000, pool: null, checks: [],
    freshness: null, automation, fingerprint: 'fp1', source: { file: 'specs/a.yaml', line: 1 },
    ...extra,
  };
}

function pipeline(names: string[]): PlanPipeline {
  return {
    kind: 'assets', description: null, selection: names.join(' or '), partitionsName: 'daily', partitions: DAILY, params: {}, concurrency: null,
    maxParallel: 4, tags: {}, nodes: Object.fromEntries(names.map((n) => [n, { kind: 'asset', needs: [] }])), order: names, source: { file: 'specs/a.yaml', line: 1 },
  };
}

function plan(assets: Record<string, PlanAsset>): Plan {
  return {
    format: 1, project: 'p', environment: null, hash: 'h', resources: {}, pools: {}, partitions: { daily: DAILY }, assets,
    pipelines: { all: pipeline(Object.keys(assets)) }, schedules: {}, sensors: {}, files: {},
  };
}

function state(mats: Record<string, string> = {}, extra: Partial<AutomationState> = {}): AutomationState {
  const materializations: AutomationState['materializations'] = {};
  for (const [k, at] of Object.entries(mats)) {
    const [a, p] = k.split(' ');
    materializations[partKey(a!, p ?? '')] = { at: new Date(at), fingerprint: 'fp1' };
  }
  return { materializations, latestByAsset: {}, checks: {}, inFlight: {}, ...extra };
}

const chain = () => plan({ a: asset([], null), b: asset(['a'], { kind: 'eager' }), c: asset(['b'], { kind: 'eager' }) });
const runs = (p: Plan, s: AutomationState) => evaluateAutomation(p, s, NOW).decisions.filter((d) => d.action === 'run');

describe('eager', () => {
  it('runs a partition whose upstream partition was materialized after it, naming the upstream', () => {
    const decisions = runs(chain(), state({ 'a 2026-03-01': '2026-03-05T10:00:00Z', 'b 2026-03-01': '2026-03-04T10:00:00Z', 'c 2026-03-01': '2026-03-04T11:00:00Z' }));
    expect(decisions.map((d) => `${d.asset} ${d.partition}`)).toEqual(['b 2026-03-01']);
    expect(decisions[0]!.reasons[0]).toBe('upstream a 2026-03-01 was materialized at 2026-03-05T10:00:00.000Z after this partition (2026-03-04T10:00:00.000Z)');
    expect(decisions[0]!.pipeline).toBe('all');
    expect(decisions[0]!.runId).toMatch(/^a-b-2026-03-01-[0-9a-f]{12}$/);
  });

  it('gives the same run id for the same upstream change and a new one for the next change', () => {
    const first = runs(chain(), state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }))[0]!;
    const again = runs(chain(), state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }))[0]!;
    const next = runs(chain(), state({ 'a 2026-03-01': '2026-03-05T11:00:00Z', 'b 2026-03-01': '2026-03-05T10:30:00Z' }))[0]!;
    expect(again.runId).toBe(first.runId);
    expect(next.runId).not.toBe(first.runId);
  });

  it('skips while the upstream partition has a failed error check, naming the check', () => {
    const s = state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }, { checks: { [partKey('a', '2026-03-01')]: [{ name: 'has_rows', severity: 'error', passed: false }] } });
    const d = evaluateAutomation(chain(), s, NOW).decisions.find((x) => x.asset === 'b' && x.partition === '2026-03-01')!;
    expect(d.action).toBe('skip');
    expect(d.reasons).toContain('skipped: error check has_rows failed on upstream a 2026-03-01');
  });

  it('is not gated by a failed warn check', () => {
    const s = state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }, { checks: { [partKey('a', '2026-03-01')]: [{ name: 'soft', severity: 'warn', passed: false }] } });
    expect(runs(chain(), s).map((d) => d.asset)).toEqual(['b']);
  });

  it('skips a partition a run is already producing', () => {
    const s = state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }, { inFlight: { [partKey('b', '2026-03-01')]: 'r1' } });
    const d = evaluateAutomation(chain(), s, NOW).decisions.find((x) => x.asset === 'b' && x.partition === '2026-03-01')!;
    expect(d.action).toBe('skip');
    expect(d.reasons.at(-1)).toBe('skipped: run r1 is already producing this partition');
  });

  it('waits while an upstream partition is being produced', () => {
    const s = state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }, { inFlight: { [partKey('a', '2026-03-01')]: 'r9' } });
    const d = evaluateAutomation(chain(), s, NOW).decisions.find((x) => x.asset === 'b' && x.partition === '2026-03-01')!;
    expect(d).toMatchObject({ action: 'skip', reasons: ['waiting: upstream a 2026-03-01 is being produced by run r9'] });
  });

  it('skips, with a reason, an asset no pipeline can run', () => {
    const p = chain();
    p.pipelines = {};
    const d = evaluateAutomation(p, state({ 'a 2026-03-01': '2026-03-05T10:00:00Z' }), NOW).decisions.find((x) => x.asset === 'b' && x.partition === '2026-03-01')!;
    expect(d.action).toBe('skip');
    expect(d.reasons.at(-1)).toMatch(/no pipeline selects b/);
  });
});

describe('missing', () => {
  it('runs only never-materialized partitions within the last 7', () => {
    const p = plan({ m: asset([], { kind: 'missing' }) });
    const decisions = runs(p, state({ 'm 2026-03-04': '2026-03-05T01:00:00Z' }));
    expect(decisions.map((d) => d.partition)).toEqual(['2026-03-03', '2026-03-02', '2026-03-01', '2026-02-28', '2026-02-27', '2026-02-26']);
    expect(decisions[0]!.reasons).toEqual(['missing: never materialized (within the last 7 partitions)']);
  });

  it('runs an unpartitioned asset that was never materialized, and not once it was', () => {
    const p = plan({ u: asset([], { kind: 'missing' }, { partitions: null, partitionsName: null }) });
    p.pipelines = { only: { ...pipeline(['u']), partitions: null, partitionsName: null } };
    expect(runs(p, state()).map((d) => [d.partition, d.reasons[0]])).toEqual([['', 'missing: never materialized']]);
    expect(runs(p, state({ u: '2026-03-01T00:00:00Z' }))).toEqual([]);
  });
});

describe('on_cron', () => {
  const cronPlan = () => plan({ a: asset([], null), w: asset(['a'], { kind: 'on_cron', cron: '0 6 * * *', timezone: 'UTC' }) });

  it('waits after a tick until every upstream updated since, then runs the partition the tick closed', () => {
    const waiting = evaluateAutomation(cronPlan(), state({ 'a 2026-03-04': '2026-03-05T05:00:00Z' }), NOW).decisions;
    expect(waiting).toEqual([
      { asset: 'w', partition: '2026-03-04', action: 'skip', reasons: ['on_cron 0 6 * * *: tick at 2026-03-05T06:00:00.000Z, waiting for upstream a 2026-03-04 to update since'] },
    ]);
    const ready = runs(cronPlan(), state({ 'a 2026-03-04': '2026-03-05T07:00:00Z' }));
    expect(ready.map((d) => d.reasons[0])).toEqual(['on_cron 0 6 * * *: tick at 2026-03-05T06:00:00.000Z and all upstreams updated since']);
  });

  it('finds the newest tick at or before now', () => {
    expect(lastTick('0 6 * * 1', 'UTC', NOW)?.toISOString()).toBe('2026-03-02T06:00:00.000Z');
  });
});

describe('freshness', () => {
  it('reports error past max_lag, warn past warn, and fresh otherwise', () => {
    const freshness = { maxLagMs: 3_600_000, warnMs: 600_000, cron: null, timezone: 'UTC' };
    const p = plan({ f: asset([], null, { freshness }) });
    const at = (iso: string) => evaluateFreshness(p, state({ 'f 2026-03-04': iso }), NOW)[0]!;
    expect(at('2026-03-05T11:55:00Z').level).toBeNull();
    expect(at('2026-03-05T11:30:00Z')).toMatchObject({ level: 'warn', lagMs: 1_800_000, partition: '2026-03-04' });
    expect(at('2026-03-05T10:00:00Z').level).toBe('error');
    expect(evaluateFreshness(p, state(), NOW)[0]).toMatchObject({ level: 'error', lagMs: null });
  });
});

it('run ids are safe for Temporal ids and URLs', () => {
  expect(automationRunId('x', 'us|2026-03-01', 'e')).toMatch(/^a-x-us_2026-03-01-[0-9a-f]{12}$/);
});
