import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { checkCron, checkTimeZone, dstChangeoverFire, nextFires, temporalCronString } from '../../runtime/spec/cron.ts';

const at = (iso: string) => new Date(iso);

describe('checkCron', () => {
  it('accepts a standard five-field expression', () => {
    expect(checkCron('0 3 * * *')).toBeUndefined();
  });

  it('accepts six fields with seconds first', () => {
    expect(checkCron('30 0 3 * * *')).toBeUndefined();
  });

  it('accepts every nickname', () => {
    expect(['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually'].map(checkCron)).toEqual(Array(7).fill(undefined));
  });

  it('accepts month and weekday names, lists, ranges and steps', () => {
    expect(checkCron('*/15 8-18/2 1,15 jan-MAR MON-FRI')).toBeUndefined();
  });

  it('accepts 7 as Sunday', () => {
    expect(checkCron('0 0 * * 7')).toBeUndefined();
  });

  it('rejects an hour out of range', () => {
    expect(checkCron('0 25 * * *')).toBe('the hour field must be 0–23, got 25');
  });

  it('rejects a day of month out of range', () => {
    expect(checkCron('0 0 0 * *')).toBe('the day-of-month field must be 1–31, got 0');
  });

  it('rejects a wrong number of fields', () => {
    expect(checkCron('0 3 * *')).toBe('expected 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, got 4');
  });

  it('rejects a step after a single value', () => {
    expect(checkCron('5/15 * * * *')).toBe('a step follows `*` or a range: write `*/15` or `5-59/15` in the minute field');
  });

  it('rejects a step of zero', () => {
    expect(checkCron('*/0 * * * *')).toBe("the minute field's step must be a whole number of at least 1, got `0`");
  });

  it('rejects a range that runs backwards', () => {
    expect(checkCron('0 22-3 * * *')).toBe("the hour field's range `22-3` runs backwards; split it, e.g. `22-23,0-3`");
  });

  it('rejects extensions that Temporal schedules do not support', () => {
    expect(checkCron('0 0 L * *')).toBe('`L` uses an extension (L, W, #, ?, +) that schedules do not support; use numbers, names, `*`, `,`, `-` and `/`');
  });

  it('rejects a word that is not a name of the field', () => {
    expect(checkCron('0 0 * * monday')).toBe('the day-of-week field must be a number 0–7 or a name such as MON, got `monday`');
  });

  it('rejects an unknown nickname', () => {
    expect(checkCron('@reboot')).toBe('unknown nickname `@reboot`: use @hourly, @daily, @weekly, @monthly or @yearly');
  });

  it('rejects an expression that never fires', () => {
    expect(checkCron('0 0 30 2 *')).toBe('it never fires: no month has the days it names');
  });

  it('accepts a day that only some of the named months have', () => {
    expect(checkCron('0 0 31 1-2 *')).toBeUndefined();
  });

  it('rejects an empty expression', () => {
    expect(checkCron('  ')).toBe('the expression is empty');
  });
});

describe('nextFires', () => {
  it('fires 0 3 * * * at 03:00 local time across the spring-forward day in Europe/Berlin', () => {
    expect(nextFires('0 3 * * *', 'Europe/Berlin', at('2026-03-27T12:00:00Z'), 3)).toEqual([
      '2026-03-28T03:00:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T03:00:00+02:00',
    ]);
  });

  it('fires 0 3 * * * once at 03:00 local time across the fall-back day in Europe/Berlin', () => {
    expect(nextFires('0 3 * * *', 'Europe/Berlin', at('2026-10-24T12:00:00Z'), 3)).toEqual([
      '2026-10-25T03:00:00+01:00',
      '2026-10-26T03:00:00+01:00',
      '2026-10-27T03:00:00+01:00',
    ]);
  });

  it('skips 30 2 * * * on 2026-03-29 in Europe/Berlin, when 02:30 does not exist', () => {
    expect(nextFires('30 2 * * *', 'Europe/Berlin', at('2026-03-27T12:00:00Z'), 3)).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-30T02:30:00+02:00',
      '2026-03-31T02:30:00+02:00',
    ]);
  });

  it('fires 30 2 * * * twice on 2026-10-25 in Europe/Berlin, when 02:30 happens twice', () => {
    expect(nextFires('30 2 * * *', 'Europe/Berlin', at('2026-10-24T12:00:00Z'), 3)).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-26T02:30:00+01:00',
    ]);
  });

  it('keeps firing in time order through a repeated hour', () => {
    expect(nextFires('*/30 * * * *', 'Europe/Berlin', at('2026-10-25T00:10:00Z'), 4)).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T03:00:00+01:00',
    ]);
  });

  it('finds the second pass of a repeated hour when starting inside the first', () => {
    expect(nextFires('45 2 * * *', 'Europe/Berlin', at('2026-10-25T00:50:00Z'), 1)).toEqual(['2026-10-25T02:45:00+01:00']);
  });

  it('does not count a fire exactly at the start', () => {
    expect(nextFires('@daily', 'UTC', at('2026-01-01T00:00:00Z'), 1)).toEqual(['2026-01-02T00:00:00+00:00']);
  });

  it('writes half-hour offsets', () => {
    expect(nextFires('0 9 * * *', 'Asia/Kolkata', at('2026-01-01T00:00:00Z'), 1)).toEqual(['2026-01-01T09:00:00+05:30']);
  });

  it('fires only when a restricted day of month and day of week both match', () => {
    expect(nextFires('0 0 13 * FRI', 'UTC', at('2026-01-01T00:00:00Z'), 2)).toEqual(['2026-02-13T00:00:00+00:00', '2026-03-13T00:00:00+00:00']);
  });

  it('honours a seconds field', () => {
    expect(nextFires('15 * * * * *', 'UTC', at('2026-01-01T00:00:00Z'), 2)).toEqual(['2026-01-01T00:00:15+00:00', '2026-01-01T00:01:15+00:00']);
  });

  it('agrees with croner in a zone without DST for every accepted form', () => {
    const from = at('2026-01-01T00:00:00Z');
    for (const expr of ['*/15 8-18/2 1,15 jan-MAR MON-FRI', '0 0 * * 7', '5 4 * * sun', '0 0 1-7 * MON', '30 */5 * * * *', '@weekly']) {
      const croner = new Cron(expr, { timezone: 'UTC', domAndDow: true }).nextRuns(5, from).map((d) => d.toISOString().replace('.000Z', '+00:00'));
      expect([expr, ...nextFires(expr, 'UTC', from, 5)]).toEqual([expr, ...croner]);
    }
  });

  it('throws for an invalid expression', () => {
    expect(() => nextFires('0 25 * * *', 'UTC', at('2026-01-01T00:00:00Z'), 1)).toThrow('invalid cron expression `0 25 * * *`: the hour field must be 0–23, got 25');
  });

  it('throws for an unknown zone', () => {
    expect(() => nextFires('@daily', 'Mars/Olympus', at('2026-01-01T00:00:00Z'), 1)).toThrow('unknown time zone `Mars/Olympus`');
  });
});

describe('temporalCronString', () => {
  it('turns six fields with seconds into Temporal seven fields with any year', () => {
    expect(temporalCronString('30 0 3 * * *')).toBe('30 0 3 * * * *');
  });

  it('keeps five fields and nicknames as they are', () => {
    expect([temporalCronString('0 3 * * *'), temporalCronString('@daily')]).toEqual(['0 3 * * *', '@daily']);
  });
});

describe('checkTimeZone', () => {
  it('accepts IANA names, UTC and Etc zones', () => {
    expect(['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/UTC', 'Etc/GMT+5'].map(checkTimeZone)).toEqual(Array(5).fill({ ok: true }));
  });

  it('accepts current names that the platform lists under an older spelling', () => {
    expect([checkTimeZone('Asia/Kolkata'), checkTimeZone('Europe/Kyiv')]).toEqual([{ ok: true }, { ok: true }]);
  });

  it('suggests the nearest name for a misspelt zone', () => {
    expect(checkTimeZone('Europe/Berln')).toEqual({ ok: false, suggestion: 'Europe/Berlin' });
  });

  it('refuses a zone in the wrong case and suggests its spelling', () => {
    expect(checkTimeZone('europe/berlin')).toEqual({ ok: false, suggestion: 'Europe/Berlin' });
  });

  it('refuses a name that is nothing like a zone without a suggestion', () => {
    expect(checkTimeZone('Mars/Olympus')).toEqual({ ok: false });
  });

  it('refuses a bare offset', () => {
    expect(checkTimeZone('+02:00').ok).toBe(false);
  });
});

describe('dstChangeoverFire', () => {
  it('finds a daily schedule inside the hour Europe/Berlin skips', () => {
    expect(dstChangeoverFire('30 2 * * *', 'Europe/Berlin')).toBe('2026-03-29 02:30');
  });

  it('finds a schedule inside the hour America/New_York repeats', () => {
    expect(dstChangeoverFire('30 1 * * *', 'America/New_York')).toBe('2026-11-01 01:30');
  });

  it('accepts a schedule just after the changeover, any schedule in UTC, and hourly schedules', () => {
    expect(dstChangeoverFire('0 3 * * *', 'Europe/Berlin')).toBeUndefined();
    expect(dstChangeoverFire('30 2 * * *', 'UTC')).toBeUndefined();
    expect(dstChangeoverFire('*/10 * * * *', 'Europe/Berlin')).toBeUndefined();
  });

  it('accepts a schedule whose days never meet a changeover', () => {
    expect(dstChangeoverFire('30 2 * 1 *', 'Europe/Berlin')).toBeUndefined();
  });
});
