// The offsets of an IANA time zone over time, and conversions between instants and wall-clock times in it.
import { DAY, HOUR, MINUTE, WEEK } from './local-time.ts';

/** A span of instants [start, end) over which the zone's offset (ms to add to an instant to get wall-clock time) is constant. */
export interface Segment {
  start: number;
  end: number;
  offset: number;
}

/**
 * Offsets come from the platform's tz database through Intl, sampled once a week of a year; the exact transition
 * instants are then found by bisection and kept. Asking per key would cost ~2 µs with Intl directly, ~7 µs through
 * luxon's IANAZone, and 100,000 hourly keys must take well under 100 ms; a year's table costs ~0.3 ms and serves
 * every later question. Assumption: a zone never changes its offset and changes it back within one week (true of
 * tzdb), otherwise that pair would be missed.
 */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, Segment[]>();

  constructor(readonly name: string) {
    // `longOffset` prints only the offset ("GMT+05:30"), the cheapest reading Intl offers.
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  }

  offsetAt(instant: number): number {
    return this.segmentAt(instant).offset;
  }

  /** The wall-clock time (see local-time.ts) at an instant. */
  wallAt(instant: number): number {
    return instant + this.segmentAt(instant).offset;
  }

  segmentAt(instant: number): Segment {
    const segments = this.year(new Date(instant).getUTCFullYear());
    for (let i = segments.length - 1; i > 0; i--) {
      const s = segments[i]!;
      if (instant >= s.start) return s;
    }
    return segments[0]!;
  }

  /**
   * Where the offset of this segment took effect, looking back at most a week: year boundaries split segments
   * artificially, and callers only care about a transition hours away (a gap or a repeated hour).
   */
  offsetSince(segment: Segment): number {
    let s = segment;
    while (s.start > segment.start - WEEK) {
      const before = this.segmentAt(s.start - 1);
      if (before.offset !== s.offset) return s.start;
      s = before;
    }
    return s.start;
  }

  /** The instants whose wall clock reads `wall`: none in a gap (spring forward), two in an overlap (fall back), ascending. */
  instantsOf(wall: number): number[] {
    const a = this.offsetAt(wall - DAY);
    const b = this.offsetAt(wall + DAY);
    const out: number[] = [];
    // The larger offset gives the earlier instant.
    for (const offset of a === b ? [a] : [Math.max(a, b), Math.min(a, b)]) {
      const t = wall - offset;
      if (this.offsetAt(t) === offset) out.push(t);
    }
    return out;
  }

  /** The earliest instant whose wall clock reads `wall` or later: in a gap, the moment the clocks jump. */
  startOf(wall: number): number {
    const found = this.instantsOf(wall);
    if (found.length > 0) return found[0]!;
    const before = Math.min(this.offsetAt(wall - DAY), this.offsetAt(wall + DAY));
    return this.offsetSince(this.segmentAt(wall - before));
  }

  /** The instants in `year` (UTC) where the offset changes, with the offsets before and after. */
  transitions(year: number): { at: number; before: number; after: number }[] {
    const segments = this.year(year);
    const out: { at: number; before: number; after: number }[] = [];
    for (let i = 1; i < segments.length; i++) {
      const prev = segments[i - 1]!;
      const next = segments[i]!;
      if (prev.offset !== next.offset) out.push({ at: next.start, before: prev.offset, after: next.offset });
    }
    return out;
  }

  private year(year: number): Segment[] {
    let segments = this.years.get(year);
    if (!segments) {
      segments = this.build(year);
      this.years.set(year, segments);
    }
    return segments;
  }

  private build(year: number): Segment[] {
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    const segments: Segment[] = [];
    let start = from;
    let offset = this.raw(from);
    for (let t = from; t < to; ) {
      const next = Math.min(t + WEEK, to);
      const after = this.raw(next);
      if (after !== offset) {
        const at = this.transition(t, next, offset);
        if (at < to) {
          segments.push({ start, end: at, offset });
          start = at;
          offset = this.raw(at);
          t = at;
          continue;
        }
      }
      t = next;
    }
    segments.push({ start, end: to, offset });
    return segments;
  }

  /** The first whole second in (lo, hi] whose offset differs from `offset` (the offset at `lo`). */
  private transition(lo: number, hi: number, offset: number): number {
    let a = lo;
    let b = hi;
    while (b - a > 1000) {
      const mid = a + Math.floor((b - a) / 2000) * 1000;
      if (this.raw(mid) === offset) a = mid;
      else b = mid;
    }
    return b;
  }

  private raw(instant: number): number {
    const m = OFFSET.exec(this.format.format(instant));
    if (!m || m[1] === undefined) return 0;
    const size = Number(m[2]) * HOUR + Number(m[3]) * MINUTE + Number(m[4] ?? 0) * 1000;
    return m[1] === '-' ? -size : size;
  }
}

// Local mean time offsets before standard time carry seconds: "GMT-04:56:02".
const OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

const clocks = new Map<string, ZoneClock | undefined>();

/** The clock of a zone the platform knows, shared by all callers; undefined for an unknown name. */
export function zoneClock(name: string): ZoneClock | undefined {
  if (clocks.has(name)) return clocks.get(name);
  const clock = resolvedZone(name) === undefined ? undefined : new ZoneClock(name);
  clocks.set(name, clock);
  return clock;
}

const canonical = new Map<string, string | undefined>();

/** The platform's canonical spelling of a zone (`Etc/UTC` → `UTC`, `europe/berlin` → `Europe/Berlin`); undefined if unknown. */
export function resolvedZone(name: string): string | undefined {
  if (canonical.has(name)) return canonical.get(name);
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  canonical.set(name, resolved);
  return resolved;
}

/** Whether two zone names denote the same zone, e.g. `UTC` and `Etc/UTC`. */
export function sameTimeZone(a: string, b: string): boolean {
  return a === b || (resolvedZone(a) !== undefined && resolvedZone(a) === resolvedZone(b));
}
