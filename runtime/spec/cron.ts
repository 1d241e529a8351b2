// Cron expressions and time zones of schedules: their problems in plain words, and when a schedule fires.
//
// Schedules run as Temporal Schedules, so this module describes what Temporal will do, not what croner or Vixie
// cron would do where they differ:
// - the wall clock is matched literally: a time that does not exist on a spring-forward day does not fire that day
//   (`30 2 * * *` in Europe/Berlin skips 2026-03-29). Inside the hour a fall-back day repeats, Temporal Server 1.29
//   is irregular (measured: `*/10 1-3 31 10 *` fires 02:00+02:00, then 02:10+01:00, skips 02:20–03:10+01:00); this
//   module lists every repeated time twice there. So `weir schedules list` shows Temporal's own next times for a
//   deployed schedule, and this prediction is the preview before deploy; schedules in that hour deserve a warning;
// - a day-of-month and a day-of-week that are both restricted must both match (`0 0 13 * FRI` is Friday the 13th);
// - only standard fields: numbers, three-letter names, `*`, `,`, `-` and `/` (no `L`, `W`, `#`, `?`).
import { Cron } from 'croner';
import { DAY, HOUR, formatInstant } from './local-time.ts';
import { closest } from './suggest.ts';
import { resolvedZone, zoneClock } from './zone-time.ts';

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Field {
  name: string;
  min: number;
  max: number;
  /** Three-letter names, the first standing for `min`. */
  names?: readonly string[];
}

const SECONDS: Field = { name: 'second', min: 0, max: 59 };
const FIVE: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday as well as 0.
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** What is wrong with a cron expression, in plain words; undefined when it is fine. */
export function checkCron(expr: string): string | undefined {
  const text = expr.trim();
  if (text === '') return 'the expression is empty';
  if (text.startsWith('@')) {
    return NICKNAMES[text] ? undefined : `unknown nickname \`${text}\`: use @hourly, @daily, @weekly, @monthly or @yearly`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, got ${parts.length}`;
  }
  const fields = parts.length === 6 ? [SECONDS, ...FIVE] : FIVE;
  const values: boolean[][] = [];
  for (let i = 0; i < parts.length; i++) {
    const read = readField(parts[i]!, fields[i]!);
    if (typeof read === 'string') return read;
    values.push(read);
  }
  const [days, months] = values.slice(-3, -1) as [boolean[], boolean[]];
  if (!MONTH_DAYS.some((last, m) => months[m + 1] && days.some((on, d) => on && d <= last))) {
    return 'it never fires: no month has the days it names';
  }
  return undefined;
}

// The most days each month can have; a restricted weekday never rules a date out for good, as weekdays cycle over the years.
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The values a field matches, indexed by value; a string is the problem in plain words. */
function readField(text: string, field: Field): boolean[] | string {
  const on: boolean[] = [];
  for (const item of text.split(',')) {
    if (item === '') return `the ${field.name} field has an empty item in \`${text}\``;
    const [base = '', step, extra] = item.split('/');
    if (extra !== undefined) return `the ${field.name} field has more than one \`/\` in \`${item}\``;
    let every = 1;
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) < 1) return `the ${field.name} field's step must be a whole number of at least 1, got \`${step}\``;
      if (base !== '*' && !base.includes('-')) {
        return `a step follows \`*\` or a range: write \`*/${step}\` or \`${base}-${field.max}/${step}\` in the ${field.name} field`;
      }
      every = Number(step);
    }
    let lo = field.min;
    let hi = field.max;
    if (base !== '*') {
      const [a = '', b, more] = base.split('-');
      if (more !== undefined) return `the ${field.name} field has a malformed range \`${base}\``;
      const first = fieldValue(a, field);
      if (typeof first === 'string') return first;
      const last = b === undefined ? first : fieldValue(b, field);
      if (typeof last === 'string') return last;
      if (last < first) return `the ${field.name} field's range \`${base}\` runs backwards; split it, e.g. \`${a}-${field.max},${field.min}-${b}\``;
      lo = first;
      hi = last;
    }
    for (let v = lo; v <= hi; v += every) on[v] = true;
  }
  return on;
}

function fieldValue(text: string, field: Field): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < field.min || n > field.max ? `the ${field.name} field must be ${field.min}–${field.max}, got ${text}` : n;
  }
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return field.min + named;
  if (/[LW#?+]/.test(text)) {
    return `\`${text}\` uses an extension (L, W, #, ?, +) that schedules do not support; use numbers, names, \`*\`, \`,\`, \`-\` and \`/\``;
  }
  const names = field.names ? ` or a name such as ${field.names[1]}` : '';
  return `the ${field.name} field must be a number ${field.min}–${field.max}${names}, got \`${text}\``;
}

const compiled = new Map<string, Cron>();

/** croner, matching wall-clock times in a zone without DST; nextFires places them in the real zone. Constructing costs ~0.2 ms, so jobs are kept. */
function compile(text: string): Cron {
  let job = compiled.get(text);
  if (!job) {
    if (compiled.size >= 1000) compiled.clear();
    job = new Cron(NICKNAMES[text] ?? text, { paused: true, utcOffset: 0, domAndDow: true, mode: '5-or-6-parts' });
    compiled.set(text, job);
  }
  return job;
}

/**
 * The next `count` times a schedule fires strictly after `from`, as ISO-8601 with the zone's offset
 * (`2026-03-29T03:00:00+02:00`), the way Temporal fires them (see the module comment). Throws for an expression or
 * zone that checkCron or checkTimeZone reject.
 */
export function nextFires(expr: string, timezone: string, from: Date, count: number): string[] {
  const clock = zoneClock(timezone);
  if (!clock) throw new Error(`unknown time zone \`${timezone}\``);
  const problem = checkCron(expr);
  if (problem) throw new Error(`invalid cron expression \`${expr}\`: ${problem}`);
  const job = compile(expr.trim());
  const after = from.getTime();
  const found: number[] = [];
  // Start early: the second pass through a repeated hour lies after `from` but reads an earlier wall-clock time.
  let wall = clock.wallAt(after) - 3 * HOUR;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const next = job.nextRun(new Date(wall));
    if (!next) break;
    wall = next.getTime();
    // Every later wall-clock time lands at or after `wall` minus the largest offset around it.
    const floor = wall - Math.max(clock.offsetAt(wall - DAY), clock.offsetAt(wall + DAY));
    if (found.length >= count && found[count - 1]! < floor) break;
    for (const t of clock.instantsOf(wall)) if (t > after) insertSorted(found, t);
  }
  return found.slice(0, count).map((t) => formatInstant(t, clock.offsetAt(t)));
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > value) i--;
  list.splice(i, 0, value);
}

/**
 * The expression in the grammar of Temporal's `cron_string`, which reads six fields as minute…year: a six-field
 * expression here has seconds first, so it becomes seven fields with any year.
 */
export function temporalCronString(expr: string): string {
  const text = expr.trim();
  return text.split(/\s+/).length === 6 ? `${text} *` : text;
}

// Names as the tz database spells them: every part starts with a capital (`America/Port-au-Prince`, `Etc/GMT+5`).
const TZDB_SPELLING = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;
let supported: Set<string> | undefined;

/**
 * Whether a name is an IANA time zone. Accepted: the names Intl lists, `UTC`, and links the platform resolves when
 * spelt as in the tz database (`Etc/GMT+5`, `US/Pacific`, and `Asia/Kolkata`, which Node's ICU lists as
 * Asia/Calcutta). Intl ignores case but Temporal's server does not, so `europe/berlin` is refused with a suggestion.
 */
export function checkTimeZone(name: string): { ok: true } | { ok: false; suggestion?: string } {
  supported ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (name === 'UTC' || supported.has(name)) return { ok: true };
  const resolved = resolvedZone(name);
  const caseOnly = resolved !== undefined && resolved !== name && resolved.toLowerCase() === name.toLowerCase();
  if (resolved !== undefined && TZDB_SPELLING.test(name) && !caseOnly) return { ok: true };
  if (resolved !== undefined && resolved !== name && TZDB_SPELLING.test(resolved)) return { ok: false, suggestion: resolved };
  const suggestion = closest(name, supported);
  return suggestion ? { ok: false, suggestion } : { ok: false };
}

/** An instant as ISO-8601 with the offset `timezone` has then, e.g. `2026-10-25T03:00:00+01:00`. */
export function formatInZone(instant: Date, timezone: string): string {
  const clock = zoneClock(timezone);
  if (!clock) throw new Error(`unknown time zone \`${timezone}\``);
  return formatInstant(instant.getTime(), clock.offsetAt(instant.getTime()));
}

// Zones change their DST rules rarely; checking the changeovers of a fixed year keeps validation free of the clock.
const DST_REFERENCE_YEARS = [2026, 2027];

/**
 * The first time a schedule would fire inside a daylight-saving changeover of its zone (a wall-clock time
 * that does not exist or that occurs twice), as `2026-03-29 02:30`; undefined when it never does. In the
 * repeated hour Temporal fires irregularly, and a skipped time does not fire that day at all.
 */
export function dstChangeoverFire(expr: string, timezone: string): string | undefined {
  const clock = zoneClock(timezone);
  if (!clock || checkCron(expr)) return undefined;
  // A schedule that fires every hour loses or repeats one hour's ticks and means no harm by it.
  const fields = (NICKNAMES[expr.trim()] ?? expr.trim()).split(/\s+/);
  if (fields[fields.length - 4] === '*') return undefined;
  const job = compile(expr.trim());
  for (const year of DST_REFERENCE_YEARS) {
    for (const t of clock.transitions(year)) {
      // The wall-clock span that is skipped (clocks forward) or repeated (clocks back).
      const from = t.at + Math.min(t.before, t.after);
      const to = t.at + Math.max(t.before, t.after);
      const next = job.nextRun(new Date(from - 1000));
      if (next && next.getTime() < to) return formatInstant(next.getTime(), 0).slice(0, 16).replace('T', ' ');
    }
  }
  return undefined;
}
