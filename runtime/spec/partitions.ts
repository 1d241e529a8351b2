// The partition algebra: normalised definitions, their keys, and whether a dependency mapping fits two assets.
// Time arithmetic lives in time-axis.ts; which upstream partitions a partition consumes, in partition-mapping.ts.
import { checkTimeZone } from './cron.ts';
import { WEEKDAYS, formatInstant, weekday } from './local-time.ts';
import { timeAxis, type TimeAxis, type TimeDefinition } from './time-axis.ts';
import { closest } from './suggest.ts';
import { sameTimeZone } from './zone-time.ts';

export type Cadence = 'hourly' | 'daily' | 'weekly' | 'monthly';

/**
 * Normalised definitions, as they appear in the compiled plan (plain JSON).
 * Time keys: hourly `YYYY-MM-DDTHH:mm` in the zone's wall-clock time (the second pass through a repeated hour on a
 * fall-back day carries its offset: `2026-10-25T02:00+01:00`); daily, weekly and monthly `YYYY-MM-DD`, the local
 * start date of the period. `end` is the last partition, inclusive (for hourly partitions a bare date means the
 * whole day). Multi keys join dimension keys with `|` in dimension order.
 */
export type Partitions =
  | TimeDefinition
  | { kind: 'static'; keys: string[] }
  | { kind: 'multi'; dimensions: { name: string; partitions: SinglePartitions }[] }
  | { kind: 'dynamic' };

export type SinglePartitions = Exclude<Partitions, { kind: 'multi' }>;

/**
 * How a downstream partition picks upstream partitions. `overlap` is what a dependency between two different time
 * definitions compiles to when it declares no mapping: the upstream partitions whose windows overlap.
 */
export type Mapping =
  | { kind: 'identity' }
  | { kind: 'window'; start: number; end: number }
  | { kind: 'overlap' }
  | { kind: 'all' }
  | { kind: 'last' }
  | { kind: 'dimension'; dimension: string };

export type KeyCheck = { ok: true; dimensions?: Record<string, string> } | { ok: false; detail: string };

/** Names for the two assets in mapping explanations; without them the words are "this asset" and "the upstream asset". */
export interface MappingNames {
  downstream?: string;
  upstream?: string;
}

const DYNAMIC_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

// ── definitions ───────────────────────────────────────────────────────────────

/**
 * Problems of one definition, in the user's words. A multi definition is checked as a whole (dimension count,
 * nesting, time dimensions, key separators); each dimension's own definition is checked where it is declared.
 */
export function validateDefinition(def: Partitions): string[] {
  switch (def.kind) {
    case 'time': {
      const zone = checkTimeZone(def.timezone);
      if (!zone.ok) return [`unknown time zone \`${def.timezone}\`${zone.suggestion ? `; did you mean \`${zone.suggestion}\`?` : ''}`];
      const axis = timeAxis(def);
      return Array.isArray(axis) ? axis : [];
    }
    case 'static':
      return staticProblems(def.keys);
    case 'multi':
      return multiProblems(def.dimensions);
    case 'dynamic':
      return [];
    default: {
      const _exhaustive: never = def;
      return _exhaustive;
    }
  }
}

function staticProblems(keys: readonly string[]): string[] {
  if (keys.length === 0) return ['a static partition needs at least one key'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (key.trim() === '') problems.push('static keys must not be empty');
    else if (seen.has(key)) problems.push(`static key \`${key}\` is listed twice`);
    seen.add(key);
  }
  return problems;
}

function multiProblems(dimensions: { name: string; partitions: Partitions }[]): string[] {
  const problems: string[] = [];
  if (dimensions.length < 2) problems.push(`a multi partition needs at least two dimensions, got ${dimensions.length}`);
  const times = dimensions.filter((d) => d.partitions.kind === 'time').map((d) => `\`${d.name}\``);
  if (times.length > 1) problems.push(`a multi partition may have one time dimension, but ${times.join(' and ')} are both time partitions`);
  const seen = new Set<string>();
  for (const { name, partitions } of dimensions) {
    if (seen.has(name)) problems.push(`dimension \`${name}\` is listed twice`);
    seen.add(name);
    if (partitions.kind === 'multi') problems.push(`dimension \`${name}\` is itself a multi partition; list its dimensions here instead`);
    if (partitions.kind === 'dynamic') problems.push(`dimension \`${name}\` is dynamic; a multi partition combines time and static dimensions`);
    if (partitions.kind === 'static') {
      for (const key of partitions.keys) {
        if (key.includes('|')) problems.push(`static key \`${key}\` of dimension \`${name}\` contains \`|\`, which separates the dimensions of a multi key`);
      }
    }
  }
  return problems;
}

/** The axis of a time definition that validation accepted; runtime callers get an exception for an invalid one. */
export function axisOf(def: TimeDefinition): TimeAxis {
  const axis = timeAxis(def);
  if (Array.isArray(axis)) throw new Error(`invalid time partitions (${def.cadence} from ${def.start}): ${axis.join('; ')}`);
  return axis;
}

/** The time dimension of a definition: itself when it is a time definition. */
export function timeDimension(def: Partitions | undefined): { name?: string; definition: TimeDefinition } | undefined {
  if (def?.kind === 'time') return { definition: def };
  if (def?.kind !== 'multi') return undefined;
  const dim = def.dimensions.find((d) => d.partitions.kind === 'time');
  return dim ? { name: dim.name, definition: dim.partitions as TimeDefinition } : undefined;
}

// ── keys ──────────────────────────────────────────────────────────────────────

/** Whether a key names a partition of the definition: aligned and within `start`…`end` for time; listed for static. */
export function parseKey(def: Partitions, key: string): KeyCheck {
  switch (def.kind) {
    case 'time': {
      const axis = timeAxis(def);
      if (Array.isArray(axis)) return { ok: false, detail: 'the partition definition itself is invalid' };
      const p = axis.positionOf(key);
      if (typeof p === 'string') return { ok: false, detail: p };
      if (axis.keyOf(p) !== key) return { ok: false, detail: `write it as ${axis.keyOf(p)}` };
      if (p < axis.first) return { ok: false, detail: `it is before the first partition, ${axis.keyOf(axis.first)}` };
      if (axis.last !== undefined && p > axis.last) return { ok: false, detail: `it is after the last partition, ${axis.keyOf(axis.last)}` };
      return { ok: true };
    }
    case 'static':
      return def.keys.includes(key) ? { ok: true } : { ok: false, detail: `expected one of ${listOf(def.keys)}` };
    case 'dynamic':
      return DYNAMIC_KEY.test(key)
        ? { ok: true }
        : { ok: false, detail: 'dynamic keys start with a letter or digit and hold only letters, digits, `_`, `.`, `:` and `-`' };
    case 'multi':
      return parseMultiKey(def.dimensions, key);
    default: {
      const _exhaustive: never = def;
      return _exhaustive;
    }
  }
}

function parseMultiKey(dimensions: { name: string; partitions: SinglePartitions }[], key: string): KeyCheck {
  const parts = key.split('|');
  if (parts.length !== dimensions.length) {
    const shape = dimensions.map((d) => d.name).join('|');
    return { ok: false, detail: `a key has ${dimensions.length} parts separated by \`|\` (${shape}), got ${parts.length}` };
  }
  const found: Record<string, string> = {};
  for (let i = 0; i < dimensions.length; i++) {
    const { name, partitions } = dimensions[i]!;
    const part = parts[i]!;
    const check = parseKey(partitions, part);
    if (!check.ok) return { ok: false, detail: `dimension \`${name}\`: ${check.detail}` };
    found[name] = part;
  }
  return { ok: true, dimensions: found };
}

/** The same as parseKey, but throws: for keys that come from the plan, the store or a validated request. */
export function keyParts(def: Partitions, key: string): Record<string, string> | undefined {
  const check = parseKey(def, key);
  if (!check.ok) throw new Error(`\`${key}\` is not a partition key: ${check.detail}`);
  return check.dimensions;
}

/** The time window of a time key (or of the time dimension of a multi key) as ISO-8601 instants with offset. */
export function window(def: Partitions, key: string): { start: string; end: string } | undefined {
  const time = timeDimension(def);
  if (!time) return undefined;
  const parts = keyParts(def, key);
  const axis = axisOf(time.definition);
  const p = axis.positionOf(time.name === undefined ? key : parts![time.name]!) as number;
  return { start: instantText(axis, axis.startOf(p)), end: instantText(axis, axis.startOf(axis.next(p))) };
}

/** An instant as ISO-8601 text with the offset of the axis's zone, e.g. `2026-03-29T03:00:00+02:00`. */
export function instantText(axis: TimeAxis, instant: number): string {
  return formatInstant(instant, axis.clock.offsetAt(instant));
}

export interface KeyOptions {
  /** Time partitions end with the last one complete at `now`, unless the definition has an `end`. */
  now: Date;
  /** First key (inclusive). For a multi definition with a time dimension, a key of that dimension bounds it. */
  from?: string;
  /** Last key (inclusive), read like `from`. */
  to?: string;
  limit?: number;
  /** The keys of a dynamic definition, in the order they were added. */
  dynamicKeys?: readonly string[];
}

/** The keys of a definition in order: oldest first for time, listed order for static, insertion order for dynamic. */
export function keys(def: Partitions, options: KeyOptions): string[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  switch (def.kind) {
    case 'time':
      return timeKeys(axisOf(def), options.now, options.from, options.to, limit);
    case 'static':
      return slice(def.keys, options.from, options.to, limit);
    case 'dynamic':
      return slice(options.dynamicKeys ?? [], options.from, options.to, limit);
    case 'multi':
      return multiKeys(def.dimensions, options, limit);
    default: {
      const _exhaustive: never = def;
      return _exhaustive;
    }
  }
}

/** The position of the last partition that exists at `now`. */
export function lastPosition(axis: TimeAxis, now: Date): number {
  return axis.last ?? axis.previous(axis.containing(now.getTime()));
}

function position(axis: TimeAxis, key: string): number {
  const p = axis.positionOf(key);
  if (typeof p === 'string') throw new Error(`\`${key}\` is not a key of these partitions: ${p}`);
  return p;
}

function timeKeys(axis: TimeAxis, now: Date, from: string | undefined, to: string | undefined, limit: number): string[] {
  const lo = from === undefined ? axis.first : Math.max(axis.first, position(axis, from));
  const hi = to === undefined ? lastPosition(axis, now) : Math.min(lastPosition(axis, now), position(axis, to));
  // Sized up front: growing an array of 100,000 keys copies it a dozen times, and the copies are what the GC pays for.
  const out = new Array<string>(Math.max(0, Math.min(limit, axis.count(lo, hi))));
  let i = 0;
  axis.each(lo, hi, out.length, (k) => {
    out[i++] = k;
  });
  return out;
}

function slice(list: readonly string[], from: string | undefined, to: string | undefined, limit: number): string[] {
  const index = (k: string): number => {
    const i = list.indexOf(k);
    if (i < 0) throw new Error(`\`${k}\` is not a partition key`);
    return i;
  };
  const lo = from === undefined ? 0 : index(from);
  const hi = to === undefined ? list.length - 1 : index(to);
  return list.slice(lo, Math.min(hi + 1, lo + limit));
}

function multiKeys(dimensions: { name: string; partitions: SinglePartitions }[], options: KeyOptions, limit: number): string[] {
  const whole = (k: string | undefined): boolean => k !== undefined && k.includes('|');
  const byTime = (k: string | undefined): string | undefined => (whole(k) ? undefined : k);
  const lists = dimensions.map(({ partitions }) =>
    partitions.kind === 'time'
      ? timeKeys(axisOf(partitions), options.now, byTime(options.from), byTime(options.to), Number.POSITIVE_INFINITY)
      : keys(partitions, { now: options.now }),
  );
  const at = (k: string): number => productIndex(lists, k);
  const lo = whole(options.from) ? at(options.from!) : 0;
  const hi = whole(options.to) ? at(options.to!) : lists.reduce((n, l) => n * l.length, 1) - 1;
  return product(lists, lo, Math.min(hi, lo + limit - 1));
}

function productIndex(lists: string[][], key: string): number {
  const parts = key.split('|');
  let index = 0;
  lists.forEach((list, i) => {
    const j = list.indexOf(parts[i] ?? '');
    if (j < 0) throw new Error(`\`${key}\` is not a partition key`);
    index = index * list.length + j;
  });
  return index;
}

/** Keys of the cartesian product of dimension key lists, first dimension slowest, from index `lo` to `hi` inclusive. */
export function product(lists: readonly (readonly string[])[], lo = 0, hi = Number.POSITIVE_INFINITY): string[] {
  const total = lists.reduce((n, l) => n * l.length, 1);
  const last = Math.min(hi, total - 1);
  if (last < lo) return [];
  const digits = lists.map(() => 0);
  for (let i = lists.length - 1, rest = lo; i >= 0; i--) {
    const size = lists[i]!.length;
    digits[i] = rest % size;
    rest = Math.floor(rest / size);
  }
  const out: string[] = [];
  for (let n = lo; n <= last; n++) {
    out.push(lists.map((l, i) => l[digits[i]!]).join('|'));
    for (let i = lists.length - 1; i >= 0; i--) {
      if (++digits[i]! < lists[i]!.length) break;
      digits[i] = 0;
    }
  }
  return out;
}

/** The partition holding an instant (`current`), or the last one complete before it (`previous`); undefined when none or not a time definition. */
export function keyAt(def: Partitions, instant: Date, which: 'current' | 'previous'): string | undefined {
  if (def.kind !== 'time') return undefined;
  const axis = axisOf(def);
  const current = axis.containing(instant.getTime());
  const p = which === 'current' ? current : axis.previous(current);
  if (p < axis.first || (axis.last !== undefined && p > axis.last)) return undefined;
  return axis.keyOf(p);
}

/** How many keys `keys()` would list, without listing them where possible; undefined for dynamic partitions without keys. */
export function countKeys(def: Partitions, options: { now: Date; dynamicKeys?: readonly string[] }): number | undefined {
  switch (def.kind) {
    case 'time': {
      const axis = axisOf(def);
      return Math.max(0, axis.count(axis.first, lastPosition(axis, options.now)));
    }
    case 'static':
      return def.keys.length;
    case 'dynamic':
      return options.dynamicKeys?.length;
    case 'multi':
      return def.dimensions.reduce<number | undefined>((n, d) => {
        const c = countKeys(d.partitions, options);
        return n === undefined || c === undefined ? undefined : n * c;
      }, 1);
    default: {
      const _exhaustive: never = def;
      return _exhaustive;
    }
  }
}

// ── mappings ──────────────────────────────────────────────────────────────────

interface Subjects {
  down: string;
  up: string;
}

function subjects(names: MappingNames | undefined): Subjects {
  return {
    down: names?.downstream ? `\`${names.downstream}\`` : 'this asset',
    up: names?.upstream ? `upstream asset \`${names.upstream}\`` : 'the upstream asset',
  };
}

function describe(def: Partitions): string {
  switch (def.kind) {
    case 'time':
      return def.cadence;
    case 'static':
    case 'dynamic':
      return def.kind;
    case 'multi':
      return `partitioned by ${def.dimensions.map((d) => `\`${d.name}\``).join(' × ')}`;
    default: {
      const _exhaustive: never = def;
      return _exhaustive;
    }
  }
}

function listOf(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).map((i) => `\`${i}\``);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length < 2 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/**
 * Why two definitions do not have the same keys (so an identity mapping cannot hold), as a clause that follows
 * "but"; undefined when every downstream key is also an upstream key. Two time definitions with different starts
 * qualify when their ranges overlap. Invalid definitions count as the same: their problems are reported elsewhere.
 */
function identityMismatch(down: Partitions, up: Partitions, s: Subjects): string | undefined {
  const kinds = `${s.down} is ${describe(down)} and ${s.up} is ${describe(up)}`;
  if (down.kind === 'time' && up.kind === 'time') {
    if (down.cadence !== up.cadence) return kinds;
    if (!sameTimeZone(down.timezone, up.timezone)) return `${s.down} uses the time zone ${down.timezone} and ${s.up} uses ${up.timezone}`;
    const a = timeAxis(down);
    const b = timeAxis(up);
    if (Array.isArray(a) || Array.isArray(b)) return undefined;
    if (down.cadence === 'weekly' && weekday(a.first) !== weekday(b.first)) {
      return `weeks start on ${WEEKDAYS[weekday(a.first)]} for ${s.down} but on ${WEEKDAYS[weekday(b.first)]} for ${s.up}`;
    }
    if ((b.last !== undefined && a.first > b.last) || (a.last !== undefined && b.first > a.last)) {
      const range = (d: TimeDefinition) => (d.end === undefined ? `from ${d.start}` : `${d.start} to ${d.end}`);
      return `the partitions of ${s.down} (${range(down)}) and of ${s.up} (${range(up)}) do not overlap`;
    }
    return undefined;
  }
  if (down.kind === 'static' && up.kind === 'static') {
    const have = new Set(up.keys);
    const missing = down.keys.filter((k) => !have.has(k));
    if (missing.length === 0) return undefined;
    return `${listOf(missing, 3)} ${missing.length === 1 ? 'is not a partition' : 'are not partitions'} of ${s.up}`;
  }
  if (down.kind === 'dynamic' && up.kind === 'dynamic') return undefined;
  if (down.kind === 'multi' && up.kind === 'multi') {
    const names = (d: typeof down) => d.dimensions.map((x) => x.name).join('\u0000');
    if (names(down) !== names(up)) return kinds;
    for (let i = 0; i < down.dimensions.length; i++) {
      const name = down.dimensions[i]!.name;
      const why = identityMismatch(down.dimensions[i]!.partitions, up.dimensions[i]!.partitions, s);
      if (why) return `in dimension \`${name}\`, ${why}`;
    }
    return undefined;
  }
  return kinds;
}

/** The mapping a dependency gets when it declares none; undefined when the upstream asset is not partitioned or nothing fits. */
export function defaultMapping(down: Partitions | undefined, up: Partitions | undefined): Mapping | undefined {
  if (!up) return undefined;
  if (!down) return { kind: 'all' };
  const s = subjects(undefined);
  if (!identityMismatch(down, up, s)) return { kind: 'identity' };
  if (down.kind === 'time' && up.kind === 'time') return { kind: 'overlap' };
  const matches = matchingDimensions(down, up);
  return matches.length === 1 ? { kind: 'dimension', dimension: matches[0]! } : undefined;
}

/** Dimensions of the multi side whose definition equals the single side. */
function matchingDimensions(down: Partitions, up: Partitions): string[] {
  const s = subjects(undefined);
  if (down.kind === 'multi' && up.kind !== 'multi') return down.dimensions.filter((d) => !identityMismatch(d.partitions, up, s)).map((d) => d.name);
  if (up.kind === 'multi' && down.kind !== 'multi') return up.dimensions.filter((d) => !identityMismatch(down, d.partitions, s)).map((d) => d.name);
  return [];
}

/**
 * Why a mapping does not fit the partitions of a downstream asset and its upstream asset, in the user's words;
 * undefined when it fits. Without a mapping, the default (see defaultMapping) must exist.
 */
export function checkMapping(
  down: Partitions | undefined,
  up: Partitions | undefined,
  mapping: Mapping | undefined,
  names?: MappingNames,
): string | undefined {
  const s = subjects(names);
  if (!up) return mapping ? `${s.up} is not partitioned, so this dependency needs no mapping; remove \`mapping\`` : undefined;
  if (!mapping) return down ? noDefault(down, up, s) : undefined;
  switch (mapping.kind) {
    case 'all':
    case 'last':
      return undefined;
    case 'identity': {
      if (!down) return needsDownstream('an identity', s);
      const why = identityMismatch(down, up, s);
      if (!why) return undefined;
      const hint = down.kind === 'time' && up.kind === 'time' ? '; leave out `mapping` to use the overlapping partitions, or use a window' : '';
      return `an identity mapping needs the same partitions on both assets, but ${why}${hint}`;
    }
    case 'window': {
      const { start, end } = mapping;
      if (!Number.isInteger(start) || !Number.isInteger(end)) return "a window mapping's `start` and `end` must be whole numbers";
      if (start > end) return `a window mapping's \`start\` (${start}) must not be after its \`end\` (${end})`;
      if (end > 0) return `a window mapping can only look back: \`end\` must be 0 or less, got ${end}`;
      return down ? timeMappingProblem('a window', down, up, s) : needsDownstream('a window', s);
    }
    case 'overlap':
      return down ? timeMappingProblem('an overlap', down, up, s) : needsDownstream('an overlap', s);
    case 'dimension':
      return down ? dimensionProblem(mapping.dimension, down, up, s) : needsDownstream('a dimension', s);
    default: {
      const _exhaustive: never = mapping;
      return `unknown mapping kind \`${(_exhaustive as { kind: string }).kind}\``;
    }
  }
}

function needsDownstream(what: string, s: Subjects): string {
  return `${what} mapping needs partitions on both assets, but ${s.down} is not partitioned; use \`{ kind: all }\` or \`{ kind: last }\``;
}

function noDefault(down: Partitions, up: Partitions, s: Subjects): string | undefined {
  if (defaultMapping(down, up)) return undefined;
  const declare = 'declare a mapping such as `{ kind: all }` or `{ kind: last }`';
  if (down.kind === up.kind) {
    return `without a mapping each partition depends on the same partition upstream, but ${identityMismatch(down, up, s)}; ${declare}`;
  }
  const matches = matchingDimensions(down, up);
  if (matches.length > 1) {
    return `${s.up} matches more than one dimension (${listOf(matches)}); declare which with \`{ kind: dimension, dimension: ${matches[0]} }\``;
  }
  return `${s.down} is ${describe(down)} and ${s.up} is ${describe(up)}, so there is no default mapping; ${declare}`;
}

/** Window and overlap mappings work on the time dimension and carry any other upstream dimension over unchanged. */
function timeMappingProblem(what: string, down: Partitions, up: Partitions, s: Subjects): string | undefined {
  const lacking = !timeDimension(down) ? down : !timeDimension(up) ? up : undefined;
  if (lacking) {
    const who = lacking === down ? s.down : s.up;
    return `${what} mapping needs time partitions on both assets, but ${who} is ${describe(lacking)}`;
  }
  if (up.kind !== 'multi') return undefined;
  for (const dim of up.dimensions) {
    if (dim.partitions.kind === 'time') continue;
    const mine = down.kind === 'multi' ? down.dimensions.find((d) => d.name === dim.name) : undefined;
    if (!mine) return `${what} mapping keeps the other dimensions of ${s.up} as they are, but ${s.down} has no dimension \`${dim.name}\``;
    const why = identityMismatch(mine.partitions, dim.partitions, s);
    if (why) return `${what} mapping keeps dimension \`${dim.name}\` as it is, but ${why}`;
  }
  return undefined;
}

function dimensionProblem(name: string, down: Partitions, up: Partitions, s: Subjects): string | undefined {
  if (down.kind === 'multi' && up.kind === 'multi') {
    return 'a dimension mapping links an asset partitioned by several dimensions to one partitioned by a single one, but both assets have several; use identity, window or all';
  }
  if (down.kind !== 'multi' && up.kind !== 'multi') {
    return `a dimension mapping needs an asset partitioned by several dimensions, but ${s.down} is ${describe(down)} and ${s.up} is ${describe(up)}`;
  }
  const multiIsDown = down.kind === 'multi';
  const multi = (multiIsDown ? down : up) as Extract<Partitions, { kind: 'multi' }>;
  const owner = multiIsDown ? s.down : s.up;
  const dim = multi.dimensions.find((d) => d.name === name);
  if (!dim) {
    const names = multi.dimensions.map((d) => d.name);
    const guess = closest(name, names);
    return `${owner} has no dimension \`${name}\`${guess ? `; did you mean \`${guess}\`?` : `; its dimensions are ${listOf(names)}`}`;
  }
  const label = `dimension \`${name}\` of ${owner}`;
  const why = multiIsDown
    ? identityMismatch(dim.partitions, up, { down: label, up: s.up })
    : identityMismatch(down, dim.partitions, { down: s.down, up: label });
  return why ? `a dimension mapping needs the same partitions on both sides, but ${why}` : undefined;
}
