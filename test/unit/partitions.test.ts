import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compactRanges } from '../../runtime/spec/compact-ranges.ts';
import { downstreamKeys, upstreamKeys } from '../../runtime/spec/partition-mapping.ts';
import {
  checkMapping,
  countKeys,
  defaultMapping,
  keyAt,
  keys,
  parseKey,
  validateDefinition,
  window,
  type Cadence,
  type Partitions,
  type SinglePartitions,
} from '../../runtime/spec/partitions.ts';

const time = (cadence: Cadence, start: string, timezone = 'UTC', end?: string): Partitions => ({
  kind: 'time',
  cadence,
  start,
  timezone,
  ...(end === undefined ? {} : { end }),
});
const daily = time('daily', '2026-01-01');
const weekly = time('weekly', '2026-01-05'); // a Monday
const monthly = time('monthly', '2026-01-01');
const hourlyBerlin = time('hourly', '2026-01-01', 'Europe/Berlin');
const dailyBerlin = time('daily', '2026-01-01', 'Europe/Berlin');
const region: Partitions = { kind: 'static', keys: ['us-east', 'eu-west', 'ap-south'] };
const channel: Partitions = { kind: 'static', keys: ['web', 'app'] };
const customer: Partitions = { kind: 'dynamic' };
const multi = (...dims: [string, Partitions][]): Partitions => ({
  kind: 'multi',
  dimensions: dims.map(([name, partitions]) => ({ name, partitions: partitions as SinglePartitions })),
});
const dailyRegion = multi(['day', daily], ['region', region]);
const at = (iso: string) => new Date(iso);
const now = at('2026-03-01T00:00:00Z');

describe('validateDefinition', () => {
  it('accepts a daily definition in a known zone', () => {
    expect(validateDefinition(dailyBerlin)).toEqual([]);
  });

  it('rejects an unknown time zone and suggests the nearest name', () => {
    expect(validateDefinition(time('daily', '2026-01-01', 'Europe/Berln'))).toEqual([
      'unknown time zone `Europe/Berln`; did you mean `Europe/Berlin`?',
    ]);
  });

  it('rejects a monthly start that is not the first of a month', () => {
    expect(validateDefinition(time('monthly', '2026-01-15'))).toEqual([
      'monthly partitions start on the first day of a month, but `start` is 2026-01-15',
    ]);
  });

  it('rejects an hourly start that is not on the hour', () => {
    expect(validateDefinition(time('hourly', '2026-01-01T05:30'))).toEqual([
      'hourly partitions start on the hour, but `start` is 2026-01-01T05:30',
    ]);
  });

  it('accepts an hourly start given as a date or as a date and hour', () => {
    expect([...validateDefinition(time('hourly', '2026-01-01')), ...validateDefinition(time('hourly', '2026-01-01T05:00'))]).toEqual([]);
  });

  it('rejects a time of day in the start of daily partitions', () => {
    expect(validateDefinition(time('daily', '2026-01-01T05:00'))).toEqual([
      '`start` of daily partitions is a date like 2026-01-01, without a time of day',
    ]);
  });

  it('rejects a start that is not a calendar date', () => {
    expect(validateDefinition(time('daily', '2026-02-30'))).toEqual([
      '`start` "2026-02-30" is not a valid date: there is no day 30 in 2026-02',
    ]);
  });

  it('rejects a start in another format', () => {
    expect(validateDefinition(time('daily', '01/02/2026'))[0]).toMatch(/^`start` "01\/02\/2026" is not a valid date: expected a date like 2026-03-01/);
  });

  it('rejects an end before the start', () => {
    expect(validateDefinition(time('daily', '2026-01-01', 'UTC', '2025-12-31'))).toEqual(['`end` (2025-12-31) is before `start` (2026-01-01)']);
  });

  it('rejects a weekly end on another weekday than the start', () => {
    expect(validateDefinition(time('weekly', '2026-01-05', 'UTC', '2026-02-04'))).toEqual([
      'weekly partitions start on a Monday (the weekday of `start`), but `end` 2026-02-04 is a Wednesday',
    ]);
  });

  it('rejects a static key listed twice', () => {
    expect(validateDefinition({ kind: 'static', keys: ['a', 'b', 'a'] })).toEqual(['static key `a` is listed twice']);
  });

  it('rejects a static definition without keys', () => {
    expect(validateDefinition({ kind: 'static', keys: [] })).toEqual(['a static partition needs at least one key']);
  });

  it('rejects a multi partition with a single dimension', () => {
    expect(validateDefinition(multi(['day', daily]))).toEqual(['a multi partition needs at least two dimensions, got 1']);
  });

  it('rejects a dynamic dimension inside a multi partition', () => {
    expect(validateDefinition(multi(['day', daily], ['customer', customer]))).toEqual([
      'dimension `customer` is dynamic; a multi partition combines time and static dimensions',
    ]);
  });

  it('rejects a multi partition nested in another', () => {
    expect(validateDefinition(multi(['day', daily], ['inner', dailyRegion]))).toEqual([
      'dimension `inner` is itself a multi partition; list its dimensions here instead',
    ]);
  });

  it('rejects more than one time dimension', () => {
    expect(validateDefinition(multi(['day', daily], ['hour', hourlyBerlin]))).toEqual([
      'a multi partition may have one time dimension, but `day` and `hour` are both time partitions',
    ]);
  });

  it('rejects a static key containing the multi key separator', () => {
    expect(validateDefinition(multi(['day', daily], ['pair', { kind: 'static', keys: ['a|b'] }]))).toEqual([
      'static key `a|b` of dimension `pair` contains `|`, which separates the dimensions of a multi key',
    ]);
  });
});

describe('keys', () => {
  it('lists daily keys up to the last day complete before now', () => {
    const list = keys(daily, { now: at('2026-01-04T12:00:00Z') });
    expect(list).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
  });

  it('lists hourly keys as wall-clock times of the zone', () => {
    const list = keys(hourlyBerlin, { now: at('2026-01-01T02:00:00Z') });
    // 02:00Z is 03:00 in Berlin: the hours 00:00, 01:00 and 02:00 are complete.
    expect(list).toEqual(['2026-01-01T00:00', '2026-01-01T01:00', '2026-01-01T02:00']);
  });

  it('has 23 hourly keys on the spring-forward day in Europe/Berlin, without 02:00', () => {
    const list = keys(hourlyBerlin, { now, from: '2026-03-29T00:00', to: '2026-03-29T23:00' });
    const later = { now: at('2026-04-01T00:00:00Z'), from: '2026-03-29T00:00', to: '2026-03-29T23:00' };
    const day = keys(hourlyBerlin, later);
    expect(list).toEqual([]);
    expect(day).toHaveLength(23);
    expect(day.slice(0, 3)).toEqual(['2026-03-29T00:00', '2026-03-29T01:00', '2026-03-29T03:00']);
  });

  it('has 25 hourly keys on the fall-back day in Europe/Berlin, the repeated hour marked by its offset', () => {
    const day = keys(hourlyBerlin, { now: at('2026-11-01T00:00:00Z'), from: '2026-10-25T00:00', to: '2026-10-25T23:00' });
    expect(day).toHaveLength(25);
    expect(day.slice(1, 5)).toEqual(['2026-10-25T01:00', '2026-10-25T02:00', '2026-10-25T02:00+01:00', '2026-10-25T03:00']);
  });

  it('aligns weekly keys to the weekday of the start', () => {
    expect(keys(weekly, { now })).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16']);
  });

  it('lists monthly keys on the first of each month', () => {
    expect(keys(monthly, { now: at('2026-04-15T00:00:00Z') })).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });

  it('lists through the end when one is set, whatever now is', () => {
    const bounded = time('monthly', '2026-01-01', 'UTC', '2026-06-01');
    expect(keys(bounded, { now })).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01']);
  });

  it('reads a bare end date of hourly partitions as the whole day', () => {
    const bounded = time('hourly', '2026-01-01', 'UTC', '2026-01-01');
    expect(keys(bounded, { now }).at(-1)).toBe('2026-01-01T23:00');
  });

  it('lists nothing before the first period is complete', () => {
    expect(keys(daily, { now: at('2026-01-01T23:59:59Z') })).toEqual([]);
  });

  it('caps the list at the limit', () => {
    expect(keys(daily, { now, limit: 2 })).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('bounds the list by from and to, clamping a from before the start', () => {
    expect(keys(daily, { now, from: '2025-12-30', to: '2026-01-02' })).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('throws for a from that is not a key of the definition', () => {
    expect(() => keys(weekly, { now, from: '2026-01-07' })).toThrow(/`2026-01-07` is not a key of these partitions: weekly partitions start on a Monday/);
  });

  it('lists static keys in their declared order, sliced by from and to', () => {
    expect(keys(region, { now, from: 'eu-west' })).toEqual(['eu-west', 'ap-south']);
  });

  it('lists the dynamic keys the caller supplies', () => {
    expect(keys(customer, { now, dynamicKeys: ['acme', 'globex'] })).toEqual(['acme', 'globex']);
  });

  it('lists multi keys of three dimensions in dimension order, the first slowest', () => {
    const def = multi(['day', daily], ['region', region], ['channel', channel]);
    const list = keys(def, { now: at('2026-01-03T00:00:00Z') });
    expect(list).toHaveLength(2 * 3 * 2);
    expect(list.slice(0, 3)).toEqual(['2026-01-01|us-east|web', '2026-01-01|us-east|app', '2026-01-01|eu-west|web']);
    expect(list.at(-1)).toBe('2026-01-02|ap-south|app');
  });

  it('bounds multi keys by a key of the time dimension', () => {
    expect(keys(dailyRegion, { now, from: '2026-02-28' })).toEqual(['2026-02-28|us-east', '2026-02-28|eu-west', '2026-02-28|ap-south']);
  });

  it('bounds multi keys by whole multi keys', () => {
    expect(keys(dailyRegion, { now, from: '2026-01-01|ap-south', to: '2026-01-02|eu-west' })).toEqual([
      '2026-01-01|ap-south',
      '2026-01-02|us-east',
      '2026-01-02|eu-west',
    ]);
  });

  it('lists 100,000 hourly keys in well under a second', () => {
    const def = time('hourly', '2014-01-01', 'America/New_York');
    const started = performance.now();
    const list = keys(def, { now: at('2026-01-01T00:00:00Z'), limit: 100_000 });
    const elapsed = performance.now() - started;
    console.info(`100,000 hourly keys (America/New_York, cold): ${elapsed.toFixed(1)} ms`);
    expect(list).toHaveLength(100_000);
    expect(new Set(list).size).toBe(100_000);
    expect(elapsed).toBeLessThan(500);
  });
});

describe('parseKey', () => {
  it('accepts an aligned key within the range', () => {
    expect(parseKey(weekly, '2026-02-02')).toEqual({ ok: true });
  });

  it('rejects a daily key with a time of day', () => {
    expect(parseKey(daily, '2026-01-01T00:00')).toEqual({ ok: false, detail: 'daily keys are dates like 2026-03-01' });
  });

  it('rejects a key before the first partition', () => {
    expect(parseKey(daily, '2025-12-31')).toEqual({ ok: false, detail: 'it is before the first partition, 2026-01-01' });
  });

  it('rejects a key after the end', () => {
    expect(parseKey(time('daily', '2026-01-01', 'UTC', '2026-01-31'), '2026-02-01')).toEqual({
      ok: false,
      detail: 'it is after the last partition, 2026-01-31',
    });
  });

  it('rejects a weekly key that is not the start of a week, naming the week', () => {
    expect(parseKey(weekly, '2026-01-07')).toEqual({
      ok: false,
      detail: 'weekly partitions start on a Monday (the weekday of `start`): the week holding 2026-01-07 is 2026-01-05',
    });
  });

  it('rejects a monthly key that is not the first of a month', () => {
    expect(parseKey(monthly, '2026-02-02')).toEqual({ ok: false, detail: 'monthly keys are the first day of a month, like 2026-03-01' });
  });

  it('rejects an hourly key for an hour the clocks skip', () => {
    expect(parseKey(hourlyBerlin, '2026-03-29T02:00')).toEqual({
      ok: false,
      detail: 'there is no 02:00 on 2026-03-29 in Europe/Berlin: the clocks jump forward',
    });
  });

  it('accepts the second pass through a repeated hour written with its offset', () => {
    expect(parseKey(hourlyBerlin, '2026-10-25T02:00+01:00')).toEqual({ ok: true });
  });

  it('rejects an offset on the first pass through a repeated hour', () => {
    expect(parseKey(hourlyBerlin, '2026-10-25T02:00+02:00')).toEqual({
      ok: false,
      detail: 'the first 02:00 on 2026-10-25 is written without an offset: 2026-10-25T02:00',
    });
  });

  it('rejects an offset on an hour that is not repeated', () => {
    expect(parseKey(hourlyBerlin, '2026-10-25T05:00+01:00')).toEqual({
      ok: false,
      detail: 'only the second pass through a repeated hour (when the clocks go back) carries an offset; write 2026-10-25T05:00',
    });
  });

  it('rejects an hourly key that is not on the hour', () => {
    expect(parseKey(hourlyBerlin, '2026-01-02T05:30')).toEqual({ ok: false, detail: 'hourly keys fall on the hour, like 2026-03-01T05:00' });
  });

  it('rejects a static key that is not listed', () => {
    expect(parseKey(region, 'eu-central')).toEqual({ ok: false, detail: 'expected one of `us-east`, `eu-west` and `ap-south`' });
  });

  it('rejects a dynamic key with characters outside the allowed set', () => {
    expect(parseKey(customer, 'acme corp')).toEqual({
      ok: false,
      detail: 'dynamic keys start with a letter or digit and hold only letters, digits, `_`, `.`, `:` and `-`',
    });
  });

  it('accepts any well-formed dynamic key', () => {
    expect(parseKey(customer, 'acme-2.eu:1')).toEqual({ ok: true });
  });

  it('rejects a multi key with the wrong number of parts', () => {
    expect(parseKey(dailyRegion, '2026-01-01')).toEqual({ ok: false, detail: 'a key has 2 parts separated by `|` (day|region), got 1' });
  });

  it('names the dimension of a bad part in a multi key', () => {
    expect(parseKey(dailyRegion, '2026-01-01|mars')).toEqual({
      ok: false,
      detail: 'dimension `region`: expected one of `us-east`, `eu-west` and `ap-south`',
    });
  });

  it('returns the parts of a multi key by dimension', () => {
    expect(parseKey(dailyRegion, '2026-01-01|eu-west')).toEqual({ ok: true, dimensions: { day: '2026-01-01', region: 'eu-west' } });
  });
});

describe('window', () => {
  it('spans 23 hours for a daily partition on the spring-forward day', () => {
    expect(window(dailyBerlin, '2026-03-29')).toEqual({ start: '2026-03-29T00:00:00+01:00', end: '2026-03-30T00:00:00+02:00' });
  });

  it('spans 25 hours for a daily partition on the fall-back day', () => {
    expect(window(dailyBerlin, '2026-10-25')).toEqual({ start: '2026-10-25T00:00:00+02:00', end: '2026-10-26T00:00:00+01:00' });
  });

  it('tells the two passes through a repeated hour apart', () => {
    expect([window(hourlyBerlin, '2026-10-25T02:00'), window(hourlyBerlin, '2026-10-25T02:00+01:00')]).toEqual([
      { start: '2026-10-25T02:00:00+02:00', end: '2026-10-25T02:00:00+01:00' },
      { start: '2026-10-25T02:00:00+01:00', end: '2026-10-25T03:00:00+01:00' },
    ]);
  });

  it('gives the calendar month of a monthly partition', () => {
    expect(window(time('monthly', '2026-01-01', 'America/New_York'), '2026-03-01')).toEqual({
      start: '2026-03-01T00:00:00-05:00',
      end: '2026-04-01T00:00:00-04:00',
    });
  });

  it('uses the time dimension of a multi key', () => {
    expect(window(dailyRegion, '2026-01-02|eu-west')).toEqual({ start: '2026-01-02T00:00:00+00:00', end: '2026-01-03T00:00:00+00:00' });
  });

  it('has no window for static partitions', () => {
    expect(window(region, 'eu-west')).toBeUndefined();
  });

  it('agrees with luxon on every daily window of a year in zones with DST', () => {
    const mismatches: string[] = [];
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Santiago', 'Asia/Kolkata']) {
      const def = time('daily', '2026-01-01', zone);
      for (const key of keys(def, { now: at('2027-01-01T12:00:00Z') })) {
        const start = DateTime.fromISO(key, { zone }).startOf('day');
        const expected = { start: start.toISO({ suppressMilliseconds: true }), end: start.plus({ days: 1 }).startOf('day').toISO({ suppressMilliseconds: true }) };
        const actual = window(def, key);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${zone} ${key}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('keyAt', () => {
  it('finds the partition holding an instant', () => {
    expect(keyAt(dailyBerlin, at('2026-03-28T23:30:00Z'), 'current')).toBe('2026-03-29');
  });

  it('finds the last partition complete before an instant', () => {
    expect(keyAt(dailyBerlin, at('2026-03-29T01:00:00Z'), 'previous')).toBe('2026-03-28');
  });

  it('counts the partition that ends at the instant as complete', () => {
    expect(keyAt(daily, at('2026-01-05T00:00:00Z'), 'previous')).toBe('2026-01-04');
  });

  it('finds the second pass through a repeated hour', () => {
    expect(keyAt(hourlyBerlin, at('2026-10-25T01:30:00Z'), 'current')).toBe('2026-10-25T02:00+01:00');
  });

  it('finds the week holding an instant', () => {
    expect(keyAt(weekly, at('2026-01-14T10:00:00Z'), 'current')).toBe('2026-01-12');
  });

  it('has no partition before the first one', () => {
    expect(keyAt(daily, at('2026-01-01T10:00:00Z'), 'previous')).toBeUndefined();
  });

  it('has no partition after the end', () => {
    expect(keyAt(time('daily', '2026-01-01', 'UTC', '2026-01-10'), at('2026-02-01T00:00:00Z'), 'current')).toBeUndefined();
  });

  it('has no time partition for static partitions', () => {
    expect(keyAt(region, now, 'current')).toBeUndefined();
  });
});

describe('countKeys', () => {
  it('counts hourly keys across both DST changes without listing them', () => {
    const end = { now: at('2026-12-31T23:00:00Z') }; // midnight in Berlin
    expect(countKeys(hourlyBerlin, end)).toBe(keys(hourlyBerlin, end).length);
    expect(countKeys(hourlyBerlin, end)).toBe(365 * 24);
  });

  it('counts daily, weekly and monthly keys as keys() lists them', () => {
    const counts = [daily, weekly, monthly].map((d) => [countKeys(d, { now }), keys(d, { now }).length]);
    expect(counts).toEqual([
      [59, 59],
      [7, 7],
      [2, 2],
    ]);
  });

  it('multiplies the counts of multi dimensions', () => {
    expect(countKeys(dailyRegion, { now })).toBe(59 * 3);
  });

  it('counts dynamic keys only when given them', () => {
    expect([countKeys(customer, { now }), countKeys(customer, { now, dynamicKeys: ['a', 'b'] })]).toEqual([undefined, 2]);
  });
});

describe('checkMapping', () => {
  it('accepts identity between equal daily definitions', () => {
    expect(checkMapping(daily, time('daily', '2026-01-01'), { kind: 'identity' })).toBeUndefined();
  });

  it('accepts identity between time definitions with different but overlapping starts', () => {
    expect(checkMapping(time('daily', '2026-02-01'), daily, { kind: 'identity' })).toBeUndefined();
  });

  it('rejects identity between different cadences', () => {
    expect(checkMapping(weekly, daily, { kind: 'identity' })).toBe(
      'an identity mapping needs the same partitions on both assets, but this asset is weekly and the upstream asset is daily; leave out `mapping` to use the overlapping partitions, or use a window',
    );
  });

  it('rejects identity between different time zones', () => {
    expect(checkMapping(dailyBerlin, daily, { kind: 'identity' })).toBe(
      'an identity mapping needs the same partitions on both assets, but this asset uses the time zone Europe/Berlin and the upstream asset uses UTC; leave out `mapping` to use the overlapping partitions, or use a window',
    );
  });

  it('treats UTC and Etc/UTC as one zone', () => {
    expect(checkMapping(time('daily', '2026-01-01', 'Etc/UTC'), daily, { kind: 'identity' })).toBeUndefined();
  });

  it('rejects identity between weeks starting on different weekdays', () => {
    expect(checkMapping(time('weekly', '2026-01-04'), weekly, { kind: 'identity' })).toMatch(
      /but weeks start on Sunday for this asset but on Monday for the upstream asset/,
    );
  });

  it('rejects identity between time ranges that do not overlap', () => {
    expect(checkMapping(time('daily', '2027-01-01'), time('daily', '2026-01-01', 'UTC', '2026-12-31'), { kind: 'identity' })).toMatch(
      /but the partitions of this asset \(from 2027-01-01\) and of the upstream asset \(2026-01-01 to 2026-12-31\) do not overlap/,
    );
  });

  it('accepts identity onto a static definition holding every downstream key', () => {
    expect(checkMapping({ kind: 'static', keys: ['eu-west'] }, region, { kind: 'identity' })).toBeUndefined();
  });

  it('rejects identity onto a static definition missing downstream keys', () => {
    expect(checkMapping(region, { kind: 'static', keys: ['us-east'] }, { kind: 'identity' })).toBe(
      'an identity mapping needs the same partitions on both assets, but `eu-west` and `ap-south` are not partitions of the upstream asset',
    );
  });

  it('rejects identity between different kinds of partitions, naming the assets', () => {
    expect(checkMapping(daily, region, { kind: 'identity' }, { downstream: 'clean_events', upstream: 'regions' })).toBe(
      'an identity mapping needs the same partitions on both assets, but `clean_events` is daily and upstream asset `regions` is static',
    );
  });

  it('accepts identity between multi definitions with the same dimensions', () => {
    expect(checkMapping(dailyRegion, multi(['day', daily], ['region', region]), { kind: 'identity' })).toBeUndefined();
  });

  it('rejects identity between multi definitions with different dimensions', () => {
    expect(checkMapping(dailyRegion, multi(['day', daily], ['channel', channel]), { kind: 'identity' })).toBe(
      'an identity mapping needs the same partitions on both assets, but this asset is partitioned by `day` × `region` and the upstream asset is partitioned by `day` × `channel`',
    );
  });

  it('rejects identity between multi definitions whose dimension differs', () => {
    expect(checkMapping(dailyRegion, multi(['day', weekly], ['region', region]), { kind: 'identity' })).toBe(
      'an identity mapping needs the same partitions on both assets, but in dimension `day`, this asset is daily and the upstream asset is weekly',
    );
  });

  it('rejects identity from an unpartitioned asset', () => {
    expect(checkMapping(undefined, daily, { kind: 'identity' })).toBe(
      'an identity mapping needs partitions on both assets, but this asset is not partitioned; use `{ kind: all }` or `{ kind: last }`',
    );
  });

  it('accepts a window of daily partitions for weekly ones', () => {
    expect(checkMapping(weekly, daily, { kind: 'window', start: -6, end: 0 })).toBeUndefined();
  });

  it('rejects a window whose start is after its end', () => {
    expect(checkMapping(daily, daily, { kind: 'window', start: -1, end: -3 })).toBe("a window mapping's `start` (-1) must not be after its `end` (-3)");
  });

  it('rejects a window that looks ahead', () => {
    expect(checkMapping(daily, daily, { kind: 'window', start: 0, end: 2 })).toBe('a window mapping can only look back: `end` must be 0 or less, got 2');
  });

  it('rejects a window with fractional offsets', () => {
    expect(checkMapping(daily, daily, { kind: 'window', start: -1.5, end: 0 })).toBe("a window mapping's `start` and `end` must be whole numbers");
  });

  it('rejects a window onto static partitions', () => {
    expect(checkMapping(daily, region, { kind: 'window', start: -6, end: 0 }, { upstream: 'region' })).toBe(
      'a window mapping needs time partitions on both assets, but upstream asset `region` is static',
    );
  });

  it('rejects a window from static partitions', () => {
    expect(checkMapping(region, daily, { kind: 'window', start: -6, end: 0 })).toBe(
      'a window mapping needs time partitions on both assets, but this asset is static',
    );
  });

  it('accepts a window from the time dimension of a multi definition', () => {
    expect(checkMapping(dailyRegion, daily, { kind: 'window', start: -1, end: 0 })).toBeUndefined();
  });

  it('rejects a window onto a multi definition whose other dimension the downstream lacks', () => {
    expect(checkMapping(daily, dailyRegion, { kind: 'window', start: -1, end: 0 })).toBe(
      'a window mapping keeps the other dimensions of the upstream asset as they are, but this asset has no dimension `region`',
    );
  });

  it('accepts an explicit overlap between time definitions', () => {
    expect(checkMapping(monthly, hourlyBerlin, { kind: 'overlap' })).toBeUndefined();
  });

  it('rejects an explicit overlap onto dynamic partitions', () => {
    expect(checkMapping(daily, customer, { kind: 'overlap' })).toBe('an overlap mapping needs time partitions on both assets, but the upstream asset is dynamic');
  });

  it('accepts a dimension mapping from a multi definition to its dimension', () => {
    expect(checkMapping(dailyRegion, region, { kind: 'dimension', dimension: 'region' })).toBeUndefined();
  });

  it('accepts a dimension mapping from a single definition to a multi one', () => {
    expect(checkMapping(daily, dailyRegion, { kind: 'dimension', dimension: 'day' })).toBeUndefined();
  });

  it('rejects a dimension mapping naming no dimension, with a suggestion', () => {
    expect(checkMapping(dailyRegion, region, { kind: 'dimension', dimension: 'regoin' })).toBe(
      'this asset has no dimension `regoin`; did you mean `region`?',
    );
  });

  it('rejects a dimension mapping whose dimension differs from the other asset', () => {
    expect(checkMapping(dailyRegion, weekly, { kind: 'dimension', dimension: 'day' })).toBe(
      'a dimension mapping needs the same partitions on both sides, but dimension `day` of this asset is daily and the upstream asset is weekly',
    );
  });

  it('rejects a dimension mapping between single definitions', () => {
    expect(checkMapping(daily, daily, { kind: 'dimension', dimension: 'day' })).toBe(
      'a dimension mapping needs an asset partitioned by several dimensions, but this asset is daily and the upstream asset is daily',
    );
  });

  it('rejects a dimension mapping between two multi definitions', () => {
    expect(checkMapping(dailyRegion, dailyRegion, { kind: 'dimension', dimension: 'day' })).toMatch(/but both assets have several; use identity, window or all$/);
  });

  it('accepts all and last onto any partitioned upstream', () => {
    const results = [region, daily, dailyRegion, customer].flatMap((up) => [
      checkMapping(weekly, up, { kind: 'all' }),
      checkMapping(undefined, up, { kind: 'last' }),
    ]);
    expect(results.every((r) => r === undefined)).toBe(true);
  });

  it('rejects a mapping onto an unpartitioned upstream', () => {
    expect(checkMapping(daily, undefined, { kind: 'all' })).toBe('the upstream asset is not partitioned, so this dependency needs no mapping; remove `mapping`');
  });

  it('needs no mapping between a partitioned asset and an unpartitioned upstream', () => {
    expect(checkMapping(daily, undefined, undefined)).toBeUndefined();
  });

  it('needs no mapping from an unpartitioned asset to a partitioned upstream', () => {
    expect(checkMapping(undefined, daily, undefined)).toBeUndefined();
  });

  it('needs no mapping between time definitions of different cadences', () => {
    expect(checkMapping(weekly, hourlyBerlin, undefined)).toBeUndefined();
  });

  it('rejects a missing mapping between time and static partitions', () => {
    expect(checkMapping(weekly, region, undefined)).toBe(
      'this asset is weekly and the upstream asset is static, so there is no default mapping; declare a mapping such as `{ kind: all }` or `{ kind: last }`',
    );
  });

  it('rejects a missing mapping onto static partitions missing downstream keys', () => {
    expect(checkMapping(region, { kind: 'static', keys: ['us-east', 'eu-west'] }, undefined)).toBe(
      'without a mapping each partition depends on the same partition upstream, but `ap-south` is not a partition of the upstream asset; declare a mapping such as `{ kind: all }` or `{ kind: last }`',
    );
  });

  it('asks which dimension when the upstream matches several', () => {
    expect(checkMapping(multi(['from', region], ['to', region]), region, undefined)).toBe(
      'the upstream asset matches more than one dimension (`from` and `to`); declare which with `{ kind: dimension, dimension: from }`',
    );
  });
});

describe('defaultMapping', () => {
  it('maps equal definitions by identity', () => {
    expect(defaultMapping(daily, time('daily', '2026-01-01'))).toEqual({ kind: 'identity' });
  });

  it('maps different cadences by overlapping windows', () => {
    expect(defaultMapping(weekly, daily)).toEqual({ kind: 'overlap' });
  });

  it('maps an unpartitioned asset to all upstream partitions', () => {
    expect(defaultMapping(undefined, daily)).toEqual({ kind: 'all' });
  });

  it('needs no mapping for an unpartitioned upstream', () => {
    expect(defaultMapping(daily, undefined)).toBeUndefined();
  });

  it('maps a multi definition to the one dimension equal to the upstream', () => {
    expect(defaultMapping(dailyRegion, region)).toEqual({ kind: 'dimension', dimension: 'region' });
  });

  it('maps a single definition to the one equal dimension of a multi upstream', () => {
    expect(defaultMapping(daily, dailyRegion)).toEqual({ kind: 'dimension', dimension: 'day' });
  });
});

describe('upstreamKeys', () => {
  const o = { now };

  it('maps a key to itself under identity', () => {
    expect(upstreamKeys(daily, daily, { kind: 'identity' }, '2026-01-10', o)).toEqual(['2026-01-10']);
  });

  it('drops an identity key before the upstream start', () => {
    expect(upstreamKeys(daily, time('daily', '2026-02-01'), { kind: 'identity' }, '2026-01-10', o)).toEqual([]);
  });

  it('takes the day and the six before it for a daily window of -6..0', () => {
    expect(upstreamKeys(daily, daily, { kind: 'window', start: -6, end: 0 }, '2026-01-10', o)).toEqual([
      '2026-01-04',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-01-10',
    ]);
  });

  it('takes the seven days of the week for a weekly partition with a daily window of -6..0', () => {
    expect(upstreamKeys(weekly, daily, { kind: 'window', start: -6, end: 0 }, '2026-01-12', o)).toEqual([
      '2026-01-12',
      '2026-01-13',
      '2026-01-14',
      '2026-01-15',
      '2026-01-16',
      '2026-01-17',
      '2026-01-18',
    ]);
  });

  it('takes the previous and the current week for a weekly window of -1..0', () => {
    expect(upstreamKeys(weekly, weekly, { kind: 'window', start: -1, end: 0 }, '2026-01-19', o)).toEqual(['2026-01-12', '2026-01-19']);
  });

  it('drops window keys before the upstream start', () => {
    expect(upstreamKeys(daily, daily, { kind: 'window', start: -6, end: 0 }, '2026-01-02', o)).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('takes the seven overlapping days for a weekly partition without a mapping', () => {
    expect(upstreamKeys(weekly, daily, undefined, '2026-01-05', o)).toHaveLength(7);
  });

  it('takes the week holding a day for a daily partition without a mapping', () => {
    expect(upstreamKeys(daily, weekly, undefined, '2026-01-14', o)).toEqual(['2026-01-12']);
  });

  it('takes the 23 hours of the spring-forward day and the 25 of the fall-back day', () => {
    const later = { now: at('2027-01-01T00:00:00Z') };
    const spring = upstreamKeys(dailyBerlin, hourlyBerlin, undefined, '2026-03-29', later);
    const autumn = upstreamKeys(dailyBerlin, hourlyBerlin, undefined, '2026-10-25', later);
    expect([spring.length, autumn.length]).toEqual([23, 25]);
  });

  it('takes the two UTC days overlapping a Berlin day', () => {
    expect(upstreamKeys(dailyBerlin, daily, undefined, '2026-01-10', o)).toEqual(['2026-01-09', '2026-01-10']);
  });

  it('takes the newest upstream partition complete when the downstream window ends', () => {
    expect(upstreamKeys(weekly, daily, { kind: 'last' }, '2026-01-12', o)).toEqual(['2026-01-18']);
  });

  it('takes the newest upstream partition complete now for an unpartitioned asset', () => {
    expect(upstreamKeys(undefined, daily, { kind: 'last' }, '', o)).toEqual(['2026-02-28']);
  });

  it('takes the last static key for last', () => {
    expect(upstreamKeys(daily, region, { kind: 'last' }, '2026-01-12', o)).toEqual(['ap-south']);
  });

  it('takes every upstream partition for all', () => {
    expect(upstreamKeys(daily, region, { kind: 'all' }, '2026-01-12', o)).toBe('all');
  });

  it('takes the unpartitioned upstream as a whole', () => {
    expect(upstreamKeys(daily, undefined, undefined, '2026-01-12', o)).toBe('all');
  });

  it('picks the dimension key of a multi key', () => {
    expect(upstreamKeys(dailyRegion, region, { kind: 'dimension', dimension: 'region' }, '2026-01-07|eu-west', o)).toEqual(['eu-west']);
  });

  it('takes every key of a multi upstream with the dimension fixed', () => {
    expect(upstreamKeys(daily, dailyRegion, { kind: 'dimension', dimension: 'day' }, '2026-01-07', o)).toEqual([
      '2026-01-07|us-east',
      '2026-01-07|eu-west',
      '2026-01-07|ap-south',
    ]);
  });

  it('keeps the other dimensions of a multi key under a window', () => {
    expect(upstreamKeys(dailyRegion, dailyRegion, { kind: 'window', start: -1, end: 0 }, '2026-01-07|eu-west', o)).toEqual([
      '2026-01-06|eu-west',
      '2026-01-07|eu-west',
    ]);
  });

  it('throws for a downstream key that is not a partition', () => {
    expect(() => upstreamKeys(weekly, daily, undefined, '2026-01-07', o)).toThrow(/`2026-01-07` is not a partition key/);
  });
});

describe('downstreamKeys', () => {
  const o = { now };

  it('finds the week whose daily window holds a day', () => {
    expect(downstreamKeys(weekly, daily, { kind: 'window', start: -6, end: 0 }, '2026-01-14', o)).toEqual(['2026-01-12']);
  });

  it('finds the seven days whose daily window of -6..0 holds a day', () => {
    expect(downstreamKeys(daily, daily, { kind: 'window', start: -6, end: 0 }, '2026-01-07', o)).toEqual([
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-01-10',
      '2026-01-11',
      '2026-01-12',
      '2026-01-13',
    ]);
  });

  it('lists only downstream partitions that exist now', () => {
    expect(downstreamKeys(daily, daily, { kind: 'window', start: -6, end: 0 }, '2026-02-26', o)).toEqual(['2026-02-26', '2026-02-27', '2026-02-28']);
  });

  it('finds the days of a week under overlap', () => {
    expect(downstreamKeys(daily, weekly, undefined, '2026-01-12', o)).toHaveLength(7);
  });

  it('finds the Berlin day holding an hour', () => {
    expect(downstreamKeys(dailyBerlin, hourlyBerlin, undefined, '2026-01-10T23:00', o)).toEqual(['2026-01-10']);
  });

  it('finds the same key under identity', () => {
    expect(downstreamKeys(daily, daily, { kind: 'identity' }, '2026-01-10', o)).toEqual(['2026-01-10']);
  });

  it('finds every region of a day under a dimension mapping', () => {
    expect(downstreamKeys(dailyRegion, daily, { kind: 'dimension', dimension: 'day' }, '2026-01-07', o)).toEqual([
      '2026-01-07|us-east',
      '2026-01-07|eu-west',
      '2026-01-07|ap-south',
    ]);
  });

  it('finds the downstream partitions that take an upstream partition as their last', () => {
    expect(downstreamKeys(weekly, daily, { kind: 'last' }, '2026-01-18', o)).toEqual(['2026-01-12']);
  });

  it('affects everything downstream when the newest static key changes under last', () => {
    expect([downstreamKeys(daily, region, { kind: 'last' }, 'ap-south', o), downstreamKeys(daily, region, { kind: 'last' }, 'us-east', o)]).toEqual([
      'all',
      [],
    ]);
  });

  it('affects everything downstream under all', () => {
    expect(downstreamKeys(daily, region, { kind: 'all' }, 'eu-west', o)).toBe('all');
  });

  it('inverts upstreamKeys for windows and overlaps', () => {
    const cases: [Partitions, Partitions, Parameters<typeof upstreamKeys>[2]][] = [
      [weekly, daily, { kind: 'window', start: -6, end: 0 }],
      [daily, daily, { kind: 'window', start: -3, end: -1 }],
      [daily, weekly, undefined],
      [dailyBerlin, daily, undefined],
      [weekly, monthly, { kind: 'window', start: -1, end: 0 }],
    ];
    const broken: string[] = [];
    for (const [down, up, mapping] of cases) {
      for (const d of keys(down, o)) {
        const ups = upstreamKeys(down, up, mapping, d, o);
        for (const u of ups === 'all' ? [] : ups) {
          const downs = downstreamKeys(down, up, mapping, u, o);
          if (downs !== 'all' && !downs.includes(d)) broken.push(`${d} → ${u}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('compactRanges', () => {
  it('collapses runs of one status into ranges with counts', () => {
    const status: Record<string, string> = { a: 'ok', b: 'ok', c: 'failed', d: 'ok' };
    expect(compactRanges(['a', 'b', 'c', 'd'], (k) => status[k])).toEqual([
      { from: 'a', to: 'b', status: 'ok', count: 2 },
      { from: 'c', to: 'c', status: 'failed', count: 1 },
      { from: 'd', to: 'd', status: 'ok', count: 1 },
    ]);
  });

  it('returns no ranges for no keys', () => {
    expect(compactRanges([], () => 'ok')).toEqual([]);
  });

  it('summarises 100,000 hourly partitions as a few ranges', () => {
    const list = keys(time('hourly', '2015-01-01'), { now: at('2027-01-01T00:00:00Z'), limit: 100_000 });
    const ranges = compactRanges(list, (k) => (k < '2020-01-01' ? 'materialized' : k < '2020-02-01' ? 'failed' : 'missing'));
    expect(ranges.map((r) => [r.status, r.count])).toEqual([
      ['materialized', 43_824],
      ['failed', 744],
      ['missing', 100_000 - 43_824 - 744],
    ]);
  });
});
