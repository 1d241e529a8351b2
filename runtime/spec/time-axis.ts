// The sequence of partitions of one time definition: keys, positions, windows and fast enumeration, DST-correct.
//
// A partition is identified by a *position*, a number that grows with time: for hourly partitions the instant the hour
// starts (hours are instants: a fall-back day has two 02:00 hours), for daily, weekly and monthly ones the wall-clock
// time of the local start date (days are calendar dates: a DST day is simply 23 or 25 hours long).
import {
  DAY,
  HOUR,
  WEEK,
  WEEKDAYS,
  addMonths,
  floorTo,
  formatDate,
  formatMinute,
  formatOffset,
  monthsBetween,
  parseWallClock,
  startOfMonth,
  wallMs,
  weekday,
  type WallClock,
} from './local-time.ts';
import { zoneClock, type Segment, type ZoneClock } from './zone-time.ts';
import type { Cadence } from './partitions.ts';

export interface TimeDefinition {
  kind: 'time';
  cadence: Cadence;
  start: string;
  end?: string;
  timezone: string;
}

export interface TimeAxis {
  readonly definition: TimeDefinition;
  readonly clock: ZoneClock;
  /** Position of the first partition. */
  readonly first: number;
  /** Position of the last partition when `end` is set. */
  readonly last: number | undefined;
  keyOf(position: number): string;
  /** The position a key names, ignoring `start` and `end`; a string is the problem in plain words. */
  positionOf(key: string): number | string;
  next(position: number): number;
  previous(position: number): number;
  shift(position: number, n: number): number;
  /** The instant a partition starts; it ends where the next one starts. */
  startOf(position: number): number;
  /** The partition an instant falls in, ignoring `start` and `end`. */
  containing(instant: number): number;
  /** Calls `push` with the keys from `lo` to `hi` inclusive, at most `limit` of them. */
  each(lo: number, hi: number, limit: number, push: (key: string) => void): void;
  count(lo: number, hi: number): number;
}

const axes = new Map<string, TimeAxis | string[]>();

/** The axis of a valid definition, or the problems that make it invalid. Cached: plans reuse a handful of definitions. */
export function timeAxis(def: TimeDefinition): TimeAxis | string[] {
  const id = `${def.cadence}\u0000${def.start}\u0000${def.end ?? ''}\u0000${def.timezone}`;
  let axis = axes.get(id);
  if (!axis) {
    axis = build(def);
    axes.set(id, axis);
  }
  return axis;
}

function build(def: TimeDefinition): TimeAxis | string[] {
  const clock = zoneClock(def.timezone);
  if (!clock) return [`unknown time zone \`${def.timezone}\``];
  const problems: string[] = [];
  const start = readBound(def, 'start', problems);
  const end = def.end === undefined ? undefined : readBound(def, 'end', problems);
  if (problems.length > 0 || !start) return problems;
  if (end && wallMs(end) < wallMs(start)) return [`\`end\` (${def.end}) is before \`start\` (${def.start})`];
  if (def.cadence === 'hourly') return hourlyAxis(def, clock, start, end);
  return calendarAxis(def, clock, start, end);
}

function readBound(def: TimeDefinition, field: 'start' | 'end', problems: string[]): WallClock | undefined {
  const text = def[field]!;
  const w = parseWallClock(text);
  if (typeof w === 'string') {
    problems.push(`\`${field}\` ${JSON.stringify(text)} is not a valid ${def.cadence === 'hourly' ? 'date or date and time' : 'date'}: ${w}`);
    return undefined;
  }
  if (def.cadence === 'hourly') {
    if (w.minute !== 0) problems.push(`hourly partitions start on the hour, but \`${field}\` is ${text}`);
  } else if (w.hasTime) {
    problems.push(`\`${field}\` of ${def.cadence} partitions is a date like ${text.slice(0, 10)}, without a time of day`);
  } else if (def.cadence === 'monthly' && w.day !== 1) {
    problems.push(`monthly partitions start on the first day of a month, but \`${field}\` is ${text}`);
  } else if (def.cadence === 'weekly' && field === 'end') {
    const anchor = parseWallClock(def.start);
    if (typeof anchor !== 'string' && weekday(wallMs(w)) !== weekday(wallMs(anchor))) {
      const day = WEEKDAYS[weekday(wallMs(anchor))];
      problems.push(`weekly partitions start on a ${day} (the weekday of \`start\`), but \`end\` ${text} is a ${WEEKDAYS[weekday(wallMs(w))]}`);
    }
  }
  return w;
}

// ── hourly: positions are instants ────────────────────────────────────────────

function hourlyAxis(def: TimeDefinition, clock: ZoneClock, start: WallClock, end: WallClock | undefined): TimeAxis {
  const mod = (n: number): number => ((n % HOUR) + HOUR) % HOUR;
  /** Smallest hour start ≥ t. */
  const ceil = (t: number): number => {
    for (;;) {
      const seg = clock.segmentAt(t);
      const x = t + mod(-(t + seg.offset));
      if (x < seg.end) return x;
      t = seg.end;
    }
  };
  /** Largest hour start ≤ t. */
  const floor = (t: number): number => {
    for (;;) {
      const seg = clock.segmentAt(t);
      const x = t - mod(t + seg.offset);
      if (x >= seg.start) return x;
      t = seg.start - 1;
    }
  };
  /** Where a fall-back repeat of wall-clock times ends inside this segment (exclusive, wall-clock); -Infinity if none. */
  const repeatEnd = (seg: Segment): number => {
    const since = clock.offsetSince(seg);
    const before = clock.offsetAt(since - 1);
    return before > seg.offset ? since + before : -Infinity;
  };
  const keyAt = (p: number, seg: Segment, repeatUntil: number): string => {
    const wall = p + seg.offset;
    const key = formatMinute(wall);
    // The second pass through a repeated hour is told apart by its offset: `2026-10-25T02:00+01:00`.
    return wall < repeatUntil ? key + formatOffset(seg.offset) : key;
  };
  const next = (p: number): number => ceil(p + 1);
  const previous = (p: number): number => floor(p - 1);
  const first = ceil(clock.startOf(wallMs(start)));
  const last = end === undefined ? undefined : floor(clock.startOf(wallMs(end) + (end.hasTime ? HOUR : DAY)) - 1);
  return {
    definition: def,
    clock,
    first,
    last,
    keyOf: (p) => {
      const seg = clock.segmentAt(p);
      return keyAt(p, seg, repeatEnd(seg));
    },
    positionOf: (key) => hourPosition(key, clock),
    next,
    previous,
    shift: (p, n) => {
      for (; n > 0; n--) p = next(p);
      for (; n < 0; n++) p = previous(p);
      return p;
    },
    startOf: (p) => p,
    containing: floor,
    each(lo, hi, limit, push) {
      let seg = clock.segmentAt(lo);
      let repeatUntil = repeatEnd(seg);
      for (let p = lo, n = 0; p <= hi && n < limit; n++) {
        if (p >= seg.end) {
          seg = clock.segmentAt(p);
          repeatUntil = repeatEnd(seg);
        }
        push(keyAt(p, seg, repeatUntil));
        p = p + HOUR < seg.end ? p + HOUR : ceil(seg.end);
      }
    },
    count(lo, hi) {
      let n = 0;
      for (let p = lo; p <= hi; ) {
        const seg = clock.segmentAt(p);
        const top = Math.min(hi, seg.end - 1);
        n += Math.floor((top - p) / HOUR) + 1;
        p = ceil(seg.end);
      }
      return n;
    },
  };
}

function hourPosition(key: string, clock: ZoneClock): number | string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?:([+-])(\d{2}):(\d{2}))?$/.exec(key);
  if (!m) return 'hourly keys are a date and hour like 2026-03-01T05:00';
  const w = parseWallClock(m[1]!);
  if (typeof w === 'string') return w;
  if (w.minute !== 0) return 'hourly keys fall on the hour, like 2026-03-01T05:00';
  const wall = wallMs(w);
  const found = clock.instantsOf(wall);
  if (found.length === 0) return `there is no ${m[1]!.slice(11)} on ${m[1]!.slice(0, 10)} in ${clock.name}: the clocks jump forward`;
  if (m[2] === undefined) return found[0]!;
  const offset = (m[2] === '-' ? -1 : 1) * (Number(m[3]) * HOUR + Number(m[4]) * 60_000);
  const second = found[1];
  if (second !== undefined && wall - second === offset) return second;
  if (second !== undefined && wall - found[0]! === offset) return `the first ${m[1]!.slice(11)} on ${m[1]!.slice(0, 10)} is written without an offset: ${m[1]}`;
  return `only the second pass through a repeated hour (when the clocks go back) carries an offset; write ${m[1]}`;
}

// ── daily, weekly, monthly: positions are local start dates ───────────────────

function calendarAxis(def: TimeDefinition, clock: ZoneClock, start: WallClock, end: WallClock | undefined): TimeAxis {
  const first = wallMs(start);
  const anchor = weekday(first);
  const monthly = def.cadence === 'monthly';
  const step = def.cadence === 'weekly' ? WEEK : DAY;
  const floorWall = (wall: number): number => {
    if (monthly) return startOfMonth(wall);
    const day = floorTo(wall, DAY);
    return step === WEEK ? day - ((weekday(day) - anchor + 7) % 7) * DAY : day;
  };
  const shift = (p: number, n: number): number => (monthly ? addMonths(p, n) : p + n * step);
  const startOf = (p: number): number => clock.startOf(p);
  return {
    definition: def,
    clock,
    first,
    last: end === undefined ? undefined : wallMs(end),
    keyOf: formatDate,
    positionOf: (key) => calendarPosition(key, def, floorWall),
    next: (p) => shift(p, 1),
    previous: (p) => shift(p, -1),
    shift,
    startOf,
    containing(instant) {
      let p = floorWall(clock.wallAt(instant));
      // Around a transition at midnight the wall clock can read the previous day after the day began, or the reverse.
      while (startOf(shift(p, 1)) <= instant) p = shift(p, 1);
      while (startOf(p) > instant) p = shift(p, -1);
      return p;
    },
    each(lo, hi, limit, push) {
      for (let p = lo, n = 0; p <= hi && n < limit; n++, p = shift(p, 1)) push(formatDate(p));
    },
    count(lo, hi) {
      if (hi < lo) return 0;
      return (monthly ? monthsBetween(lo, hi) : Math.round((hi - lo) / step)) + 1;
    },
  };
}

function calendarPosition(key: string, def: TimeDefinition, floorWall: (w: number) => number): number | string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) return `${def.cadence} keys are dates like 2026-03-01`;
  const w = parseWallClock(key);
  if (typeof w === 'string') return w;
  const wall = wallMs(w);
  if (floorWall(wall) === wall) return wall;
  if (def.cadence === 'monthly') return 'monthly keys are the first day of a month, like 2026-03-01';
  const start = floorWall(wall);
  return `weekly partitions start on a ${WEEKDAYS[weekday(start)]} (the weekday of \`start\`): the week holding ${key} is ${formatDate(start)}`;
}
