// Node step: the day's reference rates in units per EUR. Locally they are derived from the date (a small
// deterministic wobble around the seeded reference rates) instead of being downloaded from the central bank.
import { writeFileSync } from 'node:fs';
import { dataPath } from '../scripts/step-io.mjs';
import { UNITS_PER_EUR, isoDate, seededRandom } from '../scripts/synthetic.mjs';

/** @param {{ partition: { key: string }, args: { currencies?: string[] } }} ctx */
export async function fetchRates(ctx) {
  const date = isoDate(ctx.partition.key);
  const random = seededRandom(`fx:${date}`);
  const rates = {};
  for (const currency of ctx.args?.currencies ?? ['USD', 'GBP']) {
    const base = UNITS_PER_EUR[currency];
    if (base === undefined) throw new Error(`no reference rate for ${currency}`);
    rates[currency] = Math.round(base * (0.98 + random() * 0.04) * 1e6) / 1e6;
  }
  const path = dataPath('fx', `${date}.json`);
  writeFileSync(path, JSON.stringify({ date, base: 'EUR', rates }) + '\n');
  const outputs = { path };
  for (const [currency, rate] of Object.entries(rates)) outputs[`${currency.toLowerCase()}_per_eur`] = rate;
  return { metadata: { date, ...rates }, outputs };
}
