// "Did you mean …?": the candidate closest to a misspelt name, by edit distance with transpositions.

/**
 * The candidate nearest to `input`, or undefined when none is near enough to be a plausible typo.
 * Distance is optimal string alignment (Levenshtein plus swapped neighbours, so `raw_evnets` →
 * `raw_events` is one edit) on lower-cased text; a difference of case alone always matches. At most
 * one edit per three characters is allowed (at least one, the rule rustc uses), and fewer edits than
 * the input has characters. Ties
 * go to the earliest candidate, so the answer is stable for a stable input order.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  // Never more edits than the input has characters, or `a` would suggest any one-letter name.
  const limit = Math.min(Math.max(1, Math.floor(Math.max(needle.length, 3) / 3)), needle.length - 1);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    if (Math.abs(candidate.length - needle.length) >= bestDistance) continue;
    const d = distance(needle, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}

// Three rolling rows, reused across calls: suggestions run over thousands of names during validation.
let rows: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0)];

/** Optimal string alignment distance of `a` and `b`, or `cutoff` as soon as it must be at least that. */
export function distance(a: string, b: string, cutoff = Number.MAX_SAFE_INTEGER): number {
  const n = b.length;
  if (rows[0]!.length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [before, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin >= cutoff) return cutoff;
    const spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return Math.min(prev[n]!, cutoff);
}
