// Which upstream partitions a downstream partition consumes under a dependency mapping, and the inverse for eager automation.
//
// Window offsets count upstream partitions back from the *anchor*: the upstream partition holding the last instant
// of the downstream partition. For equal cadences that is the same key (`daily ← daily`, −6..0: the day and the six
// before it); for `weekly ← daily` it is the week's last day, so −6..0 is the seven days of the week; for
// `daily ← weekly` it is the week holding the day.
import {
  axisOf,
  defaultMapping,
  keyParts,
  keys,
  lastPosition,
  parseKey,
  product,
  timeDimension,
  type Mapping,
  type Partitions,
  type SinglePartitions,
} from './partitions.ts';
import type { TimeAxis } from './time-axis.ts';

export interface MappingOptions {
  /** Decides which partitions exist (the last complete one) and what `last` means. */
  now: Date;
  /** The keys of the other asset's dynamic partitions (upstream for upstreamKeys, downstream for downstreamKeys), oldest first. */
  dynamicKeys?: readonly string[];
}

/** Every partition of the asset, or the asset itself when it is not partitioned. */
export type AllKeys = 'all';

/**
 * The upstream partitions one downstream partition consumes, oldest first. Keys outside the upstream definition's
 * `start`…`end` are dropped; keys that do not exist *yet* are kept, so the caller can wait for them.
 */
export function upstreamKeys(
  down: Partitions | undefined,
  up: Partitions | undefined,
  mapping: Mapping | undefined,
  downKey: string,
  options: MappingOptions,
): string[] | AllKeys {
  if (!up) return 'all';
  const m = effective(down, up, mapping);
  if (!down) return m.kind === 'last' ? lastUpstream(up, options.now.getTime(), options) : 'all';
  const parts = keyParts(down, downKey);
  switch (m.kind) {
    case 'all':
      return 'all';
    case 'last':
      return lastUpstream(up, cutoff(down, downKey, parts, options.now), options);
    case 'identity':
      return parseKey(up, downKey).ok ? [downKey] : [];
    case 'dimension':
      return dimensionUpstream(down, up, m.dimension, downKey, parts, options);
    case 'window':
    case 'overlap':
      return timeUpstream(down, up, m, downKey, parts, options);
    default: {
      const _exhaustive: never = m;
      return _exhaustive;
    }
  }
}

/**
 * The downstream partitions that consume one upstream partition, oldest first: what to refresh when it is
 * materialised. Only downstream partitions that exist at `now` are listed.
 */
export function downstreamKeys(
  down: Partitions | undefined,
  up: Partitions | undefined,
  mapping: Mapping | undefined,
  upKey: string,
  options: MappingOptions,
): string[] | AllKeys {
  if (!down || !up) return 'all';
  const m = effective(down, up, mapping);
  const parts = keyParts(up, upKey);
  switch (m.kind) {
    case 'all':
      return 'all';
    case 'last':
      return lastDownstream(down, up, upKey, parts, options);
    case 'identity':
      return exists(down, upKey, options) ? [upKey] : [];
    case 'dimension':
      return dimensionDownstream(down, up, m.dimension, upKey, parts, options);
    case 'window':
    case 'overlap':
      return timeDownstream(down, up, m, upKey, parts, options);
    default: {
      const _exhaustive: never = m;
      return _exhaustive;
    }
  }
}

function effective(down: Partitions | undefined, up: Partitions, mapping: Mapping | undefined): Mapping {
  const m = mapping ?? defaultMapping(down, up);
  if (!m) throw new Error('the dependency has no mapping and its partitions have no default one; validation should have reported it');
  return m;
}

/** Whether a key names a partition that exists at `now`. */
function exists(def: Partitions, key: string, options: MappingOptions): boolean {
  const check = parseKey(def, key);
  if (!check.ok) return false;
  if (def.kind === 'dynamic') return options.dynamicKeys === undefined || options.dynamicKeys.includes(key);
  const time = timeDimension(def);
  if (!time) return true;
  const axis = axisOf(time.definition);
  const p = axis.positionOf(time.name === undefined ? key : check.dimensions![time.name]!) as number;
  return p <= lastPosition(axis, options.now);
}

/** The time part of a key of a definition that has a time dimension. */
function timeKey(def: Partitions, key: string, parts: Record<string, string> | undefined): { axis: TimeAxis; position: number } {
  const time = timeDimension(def)!;
  const axis = axisOf(time.definition);
  return { axis, position: axis.positionOf(time.name === undefined ? key : parts![time.name]!) as number };
}

function endOf(axis: TimeAxis, p: number): number {
  return axis.startOf(axis.next(p));
}

/** Keys from `lo` to `hi`, dropping those outside the definition's `start`…`end`. */
function clip(axis: TimeAxis, lo: number, hi: number): string[] {
  const out: string[] = [];
  axis.each(Math.max(lo, axis.first), Math.min(hi, axis.last ?? hi), Number.POSITIVE_INFINITY, (k) => out.push(k));
  return out;
}

/** Keys of a multi definition: the time dimension takes `timeKeys`, a dimension named in `fixed` takes that key, any other all of its keys. */
function compose(def: Partitions, timeKeys: string[], fixed: Record<string, string> | undefined, now: Date): string[] {
  if (def.kind !== 'multi') return timeKeys;
  const lists = def.dimensions.map(({ name, partitions }) =>
    partitions.kind === 'time' ? timeKeys : fixed?.[name] !== undefined ? [fixed[name]] : keys(partitions, { now }),
  );
  return product(lists);
}

// ── last ──────────────────────────────────────────────────────────────────────

/** The instant up to which `last` looks: the end of the downstream partition's window, and never past `now`. */
function cutoff(down: Partitions, downKey: string, parts: Record<string, string> | undefined, now: Date): number {
  if (!timeDimension(down)) return now.getTime();
  const { axis, position } = timeKey(down, downKey, parts);
  return Math.min(endOf(axis, position), now.getTime());
}

/** The newest upstream partition complete at `at` (with every key of the other dimensions of a multi definition). */
function lastUpstream(up: Partitions, at: number, options: MappingOptions): string[] {
  switch (up.kind) {
    case 'static':
      return up.keys.slice(-1);
    case 'dynamic':
      return (options.dynamicKeys ?? []).slice(-1);
    case 'time':
    case 'multi': {
      const time = timeDimension(up);
      if (!time && up.kind === 'multi') return product(up.dimensions.map((d) => lastUpstream(d.partitions, at, options)));
      const axis = axisOf(time!.definition);
      const p = Math.min(axis.previous(axis.containing(at)), axis.last ?? Number.POSITIVE_INFINITY);
      return p < axis.first ? [] : compose(up, [axis.keyOf(p)], undefined, options.now);
    }
    default: {
      const _exhaustive: never = up;
      return _exhaustive;
    }
  }
}

function lastDownstream(
  down: Partitions,
  up: Partitions,
  upKey: string,
  parts: Record<string, string> | undefined,
  options: MappingOptions,
): string[] | AllKeys {
  const upTime = timeDimension(up);
  if (!upTime) {
    // Every downstream partition consumes the newest upstream key; only that one matters.
    return lastUpstream(up, options.now.getTime(), options).includes(upKey) ? 'all' : [];
  }
  const { axis: ua, position: pu } = timeKey(up, upKey, parts);
  const newest = lastPosition(ua, options.now);
  if (!timeDimension(down)) return pu === newest ? 'all' : [];
  // A downstream partition consumes `pu` when its window ends after `pu` ended and before the next upstream one did.
  const da = axisOf(timeDimension(down)!.definition);
  const from = endOf(ua, pu);
  const until = pu >= newest ? Number.POSITIVE_INFINITY : endOf(ua, ua.next(pu));
  const top = lastPosition(da, options.now);
  const found: string[] = [];
  for (let d = Math.max(da.containing(from - 1), da.first); d <= top && endOf(da, d) < until; d = da.next(d)) {
    if (endOf(da, d) >= from) found.push(da.keyOf(d));
  }
  return compose(down, found, undefined, options.now);
}

// ── dimension ─────────────────────────────────────────────────────────────────

function dimensionUpstream(
  down: Partitions,
  up: Partitions,
  name: string,
  downKey: string,
  parts: Record<string, string> | undefined,
  options: MappingOptions,
): string[] {
  if (down.kind === 'multi') {
    const part = parts![name]!;
    return parseKey(up, part).ok ? [part] : [];
  }
  const multi = up as Extract<Partitions, { kind: 'multi' }>;
  const dim = multi.dimensions.find((d) => d.name === name)!;
  if (!parseKey(dim.partitions, downKey).ok) return [];
  return product(multi.dimensions.map((d) => (d.name === name ? [downKey] : dimensionKeys(d.partitions, options.now))));
}

function dimensionDownstream(
  down: Partitions,
  up: Partitions,
  name: string,
  upKey: string,
  parts: Record<string, string> | undefined,
  options: MappingOptions,
): string[] {
  if (up.kind === 'multi') {
    const part = parts![name]!;
    return exists(down, part, options) ? [part] : [];
  }
  const multi = down as Extract<Partitions, { kind: 'multi' }>;
  const dim = multi.dimensions.find((d) => d.name === name)!;
  if (!exists(dim.partitions, upKey, options)) return [];
  return product(multi.dimensions.map((d) => (d.name === name ? [upKey] : dimensionKeys(d.partitions, options.now))));
}

function dimensionKeys(def: SinglePartitions, now: Date): string[] {
  return keys(def, { now });
}

// ── window and overlap ────────────────────────────────────────────────────────

function timeUpstream(
  down: Partitions,
  up: Partitions,
  m: Extract<Mapping, { kind: 'window' | 'overlap' }>,
  downKey: string,
  parts: Record<string, string> | undefined,
  options: MappingOptions,
): string[] {
  const { axis: da, position: pd } = timeKey(down, downKey, parts);
  const ua = axisOf(timeDimension(up)!.definition);
  const start = da.startOf(pd);
  const end = endOf(da, pd);
  let lo: number;
  let hi: number;
  if (m.kind === 'window') {
    const anchor = ua.containing(end - 1);
    lo = ua.shift(anchor, m.start);
    hi = ua.shift(anchor, m.end);
  } else {
    lo = ua.containing(start);
    hi = end > start ? ua.containing(end - 1) : lo - 1;
  }
  // Upstream dimensions other than time take the downstream key's value (checkMapping ensures they exist).
  return compose(up, clip(ua, lo, hi), parts, options.now);
}

function timeDownstream(
  down: Partitions,
  up: Partitions,
  m: Extract<Mapping, { kind: 'window' | 'overlap' }>,
  upKey: string,
  parts: Record<string, string> | undefined,
  options: MappingOptions,
): string[] {
  const { axis: ua, position: pu } = timeKey(up, upKey, parts);
  const da = axisOf(timeDimension(down)!.definition);
  const top = lastPosition(da, options.now);
  const found: number[] = [];
  if (m.kind === 'window') {
    // A downstream partition consumes `pu` when its anchor lies within [pu − end, pu − start].
    for (let a = ua.shift(pu, -m.end), last = ua.shift(pu, -m.start); a <= last; a = ua.next(a)) {
      const from = ua.startOf(a);
      const until = endOf(ua, a);
      for (let d = da.containing(from); endOf(da, d) <= until; d = da.next(d)) if (endOf(da, d) > from) found.push(d);
    }
  } else {
    const until = endOf(ua, pu);
    for (let d = da.containing(ua.startOf(pu)); da.startOf(d) < until; d = da.next(d)) found.push(d);
  }
  const inRange = found.filter((d) => d >= da.first && d <= top).map((d) => da.keyOf(d));
  // Downstream dimensions that the upstream also has keep the upstream key's value; the others take all their keys.
  return compose(down, inRange, parts, options.now);
}
