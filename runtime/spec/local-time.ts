// Wall-clock times as plain numbers (milliseconds of a zone-less calendar, counted like UTC) and their text forms.
// Partition keys are wall-clock text, so most key arithmetic never needs a time zone; see zone-time.ts for that.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** A wall-clock reading; the date and time text of a key or a `start`. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Whether the text had a time of day (`THH:mm`). */
  hasTime: boolean;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`; a string is the problem in plain words. */
export function parseWallClock(text: string): WallClock | string {
  const m = WALL.exec(text);
  if (!m) return 'expected a date like 2026-03-01 or a date and time like 2026-03-01T05:00';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hasTime = m[4] !== undefined;
  const hour = hasTime ? Number(m[4]) : 0;
  const minute = hasTime ? Number(m[5]) : 0;
  if (year < 1000) return `year ${m[1]} is out of range`;
  if (month < 1 || month > 12) return `there is no month ${m[2]}`;
  if (day < 1 || day > daysInMonth(year, month)) return `there is no day ${m[3]} in ${m[1]}-${m[2]}`;
  if (hour > 23) return `the hour must be 00–23, got ${m[4]}`;
  if (minute > 59) return `the minute must be 00–59, got ${m[5]}`;
  return { year, month, day, hour, minute, hasTime };
}

export function wallMs(w: Pick<WallClock, 'year' | 'month' | 'day' | 'hour' | 'minute'>): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : 30 + ((0b1010110101010 >> month) & 1);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(wall: number): number {
  // 1970-01-01 was a Thursday.
  return (((Math.floor(wall / DAY) + 4) % 7) + 7) % 7;
}

export function floorTo(wall: number, unit: number): number {
  return wall - (((wall % unit) + unit) % unit);
}

export function startOfMonth(wall: number): number {
  const d = new Date(wall);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function addMonths(wall: number, n: number): number {
  const d = new Date(wall);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}

/** Whole months from `a` to `b`, both first days of a month. */
export function monthsBetween(a: number, b: number): number {
  const x = new Date(a);
  const y = new Date(b);
  return (y.getUTCFullYear() - x.getUTCFullYear()) * 12 + (y.getUTCMonth() - x.getUTCMonth());
}

// Civil date from a day count (H. Hinnant's algorithm), written to module fields rather than returned in an array:
// keys are formatted by the hundred thousand, and this keeps each one to a single string allocation.
let cy = 1970;
let cm = 1;
let cd = 1;
function civil(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  cd = doy - Math.floor((153 * mp + 2) / 5) + 1;
  cm = mp < 10 ? mp + 3 : mp - 9;
  cy = yoe + era * 400 + (cm <= 2 ? 1 : 0);
}

// Hourly keys come 24 to a day: the date text of the last day formatted is reused.
let memoDays = Number.NaN;
let memoDate = '';
function dateText(days: number): string {
  if (days !== memoDays) {
    civil(days);
    memoDays = days;
    memoDate = `${cy}-${PAD2[cm]}-${PAD2[cd]}`;
  }
  return memoDate;
}

/** `YYYY-MM-DD`. */
export function formatDate(wall: number): string {
  return dateText(Math.floor(wall / DAY));
}

// `THH:mm` for every minute of a day, so a key is one concatenation.
const TIMES: string[] = Array.from({ length: 1440 }, (_, i) => `T${PAD2[Math.floor(i / 60)]}:${PAD2[i % 60]}`);

/** `YYYY-MM-DDTHH:mm`. */
export function formatMinute(wall: number): string {
  const days = Math.floor(wall / DAY);
  return dateText(days) + TIMES[Math.floor((wall - days * DAY) / MINUTE)]!;
}

/** `+02:00`, `-03:30`; seconds of historical local mean time offsets are dropped. */
export function formatOffset(offset: number): string {
  const minutes = Math.round(Math.abs(offset) / MINUTE);
  return `${offset < 0 ? '-' : '+'}${PAD2[Math.floor(minutes / 60)]}:${PAD2[minutes % 60]}`;
}

/** ISO-8601 with the offset in effect, e.g. `2026-03-29T03:00:00+02:00`. */
export function formatInstant(instant: number, offset: number): string {
  const wall = instant + offset;
  const seconds = Math.floor((((wall % MINUTE) + MINUTE) % MINUTE) / 1000);
  return `${formatMinute(wall)}:${PAD2[seconds]}${formatOffset(offset)}`;
}
