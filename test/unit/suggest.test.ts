import { describe, expect, it } from 'vitest';
import { closest, distance } from '../../runtime/spec/suggest.ts';

describe('closest', () => {
  it('suggests a name one letter away', () => {
    expect(closest('ful_refresh', ['partition', 'full_refresh'])).toBe('full_refresh');
  });

  it('counts swapped neighbouring letters as one edit', () => {
    expect(closest('raw_evnets', ['raw_events', 'clean_events'])).toBe('raw_events');
  });

  it('suggests a name that differs only in case', () => {
    expect(closest('Raw_Events', ['raw_events'])).toBe('raw_events');
  });

  it('suggests nothing when every candidate is too far away', () => {
    expect(closest('warehouse', ['events_api', 'slack'])).toBeUndefined();
  });

  it('allows more edits for longer names', () => {
    expect(closest('daly_usr_events', ['daily_user_events'])).toBe('daily_user_events');
    expect(closest('dly', ['daily'])).toBeUndefined();
  });

  it('does not suggest an unrelated one-letter name for a one-letter input', () => {
    expect(closest('a', ['b', 'c'])).toBeUndefined();
  });

  it('prefers the nearest candidate over an earlier, farther one', () => {
    expect(closest('clean_event', ['clean_evnt_x', 'clean_events'])).toBe('clean_events');
  });

  it('breaks ties by candidate order', () => {
    expect(closest('cat', ['bat', 'cut'])).toBe('bat');
  });

  it('never suggests the input itself', () => {
    expect(closest('daily', ['daily'])).toBeUndefined();
  });

  it('takes any iterable, such as the keys of a map', () => {
    const index = new Map([
      ['warehouse', 1],
      ['events_api', 2],
    ]);
    expect(closest('warehose', index.keys())).toBe('warehouse');
  });

  it('suggests nothing from no candidates or for an empty input', () => {
    expect(closest('x', [])).toBeUndefined();
    expect(closest('', ['a'])).toBeUndefined();
  });

  it('finds the suggestion among ten thousand names', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `asset_${i}`);
    expect(closest('aset_9876', names)).toBe('asset_9876');
  });
});

describe('distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(distance('kitten', 'sitting')).toBe(3);
  });

  it('counts a transposition as one edit', () => {
    expect(distance('ab', 'ba')).toBe(1);
  });

  it('stops at the cutoff', () => {
    expect(distance('abcdef', 'uvwxyz', 2)).toBe(2);
  });

  it('is zero for equal strings and the length for an empty one', () => {
    expect(distance('same', 'same')).toBe(0);
    expect(distance('', 'four')).toBe(4);
  });
});
