// Deterministic synthetic shop data: the same date always yields the same orders, events and feeds.
export const REGIONS = ['eu-central', 'eu-west', 'uk', 'us-east'];
export const CHANNELS = ['web', 'ios', 'android'];
export const CURRENCY_OF_REGION = { 'eu-central': 'EUR', 'eu-west': 'EUR', uk: 'GBP', 'us-east': 'USD' };
/** Units per EUR, matching sql/bootstrap/seed_reference_data.sql. */
export const UNITS_PER_EUR = { EUR: 1, USD: 1.085, GBP: 0.855 };

/** A seeded PRNG (mulberry32 over an FNV-1a hash of the seed text) returning floats in [0, 1). */
export function seededRandom(seed) {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick(random, items) {
  return items[Math.floor(random() * items.length)];
}

/** `YYYY-MM-DD` from a partition key or timestamp such as `2026-03-01` or `2026-03-01T13:00:00Z`. */
export function isoDate(value) {
  const match = /^\d{4}-\d{2}-\d{2}/.exec(String(value));
  if (!match) throw new Error(`not a date: ${value}`);
  return match[0];
}
