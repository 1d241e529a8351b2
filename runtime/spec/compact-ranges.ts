// Run-length ranges of partition status over ordered keys: how 100,000 partitions are shown as a handful of rows.

export interface StatusRange<S> {
  from: string;
  to: string;
  status: S;
  count: number;
}

/** Consecutive keys with the same status (compared with `===`) collapse into one range; order is kept. */
export function compactRanges<S>(keysInOrder: readonly string[], statusOf: (key: string) => S): StatusRange<S>[] {
  const ranges: StatusRange<S>[] = [];
  let current: StatusRange<S> | undefined;
  for (const key of keysInOrder) {
    const status = statusOf(key);
    if (current && current.status === status) {
      current.to = key;
      current.count++;
    } else {
      current = { from: key, to: key, status, count: 1 };
      ranges.push(current);
    }
  }
  return ranges;
}
