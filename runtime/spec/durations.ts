// Durations as specs write them (`30s`, `15m`, `1h30m`, `7d`): parsing to milliseconds and canonical formatting.

/** The schema's pattern for a duration; `parseDuration` additionally requires units in decreasing order. */
export const DURATION_PATTERN = '^([0-9]+(ms|s|m|h|d|w))+$';

// Largest first: parsing walks this list forward, so each unit must come after the ones before it.
const UNITS: readonly { unit: string; ms: number }[] = [
  { unit: 'w', ms: 7 * 86_400_000 },
  { unit: 'd', ms: 86_400_000 },
  { unit: 'h', ms: 3_600_000 },
  { unit: 'm', ms: 60_000 },
  { unit: 's', ms: 1_000 },
  { unit: 'ms', ms: 1 },
];

const ZERO = 48;
const NINE = 57;

/**
 * Milliseconds for a duration such as `1h30m`, or undefined when the text is not one: empty, signed,
 * fractional, a unit repeated or out of decreasing order (`30m1h`), or too large to count exactly.
 */
export function parseDuration(text: string): number | undefined {
  let total = 0;
  let next = 0; // index into UNITS of the largest unit still allowed
  let i = 0;
  if (text.length === 0) return undefined;
  while (i < text.length) {
    const digitsStart = i;
    let n = 0;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i)) n = n * 10 + (c - ZERO);
    if (i === digitsStart) return undefined;
    const index = unitAt(text, i);
    if (index < next) return undefined; // also catches a missing unit (-1)
    next = index + 1;
    const { unit, ms } = UNITS[index]!;
    total += n * ms;
    i += unit.length;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** The index in UNITS of the unit starting at `i`, or -1. */
function unitAt(text: string, i: number): number {
  switch (text[i]) {
    case 'w':
      return 0;
    case 'd':
      return 1;
    case 'h':
      return 2;
    case 'm':
      return text[i + 1] === 's' ? 5 : 3;
    case 's':
      return 4;
    default:
      return -1;
  }
}

/** The canonical text of a duration: largest units first, zero parts left out (`5400000` → `1h30m`, `0` → `0s`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a duration must be a finite, non-negative number of milliseconds, got ${ms}`);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const { unit, ms: size } of UNITS) {
    if (rest < size) continue;
    const n = Math.floor(rest / size);
    out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
