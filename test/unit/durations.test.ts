import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../../runtime/spec/durations.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
  ])('reads the single unit in %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('adds up combined units written largest first', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1w2d3h4m5s6ms')).toBe(604_800_000 + 172_800_000 + 10_800_000 + 240_000 + 5_000 + 6);
  });

  it('tells minutes from milliseconds when both appear', () => {
    expect(parseDuration('1m1ms')).toBe(60_001);
  });

  it('reads zero', () => {
    expect(parseDuration('0s')).toBe(0);
  });

  it('accepts a part larger than the next unit up', () => {
    expect(parseDuration('90m')).toBe(5_400_000);
  });

  it('rejects units out of decreasing order', () => {
    expect(parseDuration('30m1h')).toBeUndefined();
  });

  it('rejects a repeated unit', () => {
    expect(parseDuration('1s1s')).toBeUndefined();
  });

  it.each(['', '1', 'h', '1.5h', '-1s', '+1s', '1 h', ' 1h', '1h ', '1y', '1H', '1hour', '1h30'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('rejects a duration too large to count in exact milliseconds', () => {
    expect(parseDuration('99999999999999w')).toBeUndefined();
    expect(parseDuration(`${'9'.repeat(400)}s`)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('writes the canonical form, largest units first', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });

  it('leaves out zero parts', () => {
    expect(formatDuration(3_600_001)).toBe('1h1ms');
  });

  it('writes zero as 0s', () => {
    expect(formatDuration(0)).toBe('0s');
  });

  it('uses weeks for multiples of seven days', () => {
    expect(formatDuration(8 * 86_400_000)).toBe('1w1d');
  });

  it('rounds fractions of a millisecond', () => {
    expect(formatDuration(1500.6)).toBe('1s501ms');
  });

  it('throws on a negative or non-finite duration', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it.each([1, 999, 1000, 61_000, 90 * 60_000, 86_400_000 + 1, 3 * 604_800_000 + 5])('round-trips %d through parseDuration', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe('DURATION_PATTERN', () => {
  const pattern = new RegExp(DURATION_PATTERN);

  it('matches every duration parseDuration reads', () => {
    for (const text of ['250ms', '30s', '1h30m', '1w2d3h4m5s6ms', '0s']) expect(pattern.test(text)).toBe(true);
  });

  it('does not match text parseDuration rejects for its form', () => {
    for (const text of ['', '1.5h', '-1s', '1 h', '1y', '1']) expect(pattern.test(text)).toBe(false);
  });
});
