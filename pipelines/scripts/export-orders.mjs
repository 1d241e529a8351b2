// Writes one day of orders as JSON lines to the landing zone: synthetic, deterministic stand-in for the shop's export.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath, emit } from './step-io.mjs';
import { CHANNELS, CURRENCY_OF_REGION, REGIONS, UNITS_PER_EUR, isoDate, pick, seededRandom } from './synthetic.mjs';

const { values } = parseArgs({
  options: { date: { type: 'string' }, 'full-refresh': { type: 'string', default: 'false' }, 'run-id': { type: 'string', default: 'local' } },
});
const date = isoDate(values.date);
const file = dataPath('orders', `${date}.jsonl`);

// Without a full refresh an existing export is kept, so re-running a day is cheap and changes nothing.
if (existsSync(file) && values['full-refresh'] !== 'true') {
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  emit({ rows, reused: true, path: file }, { path: file });
  process.exit(0);
}

const random = seededRandom(`orders:${date}`);
const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
const count = Math.round((weekday === 0 || weekday === 6 ? 260 : 180) * (0.85 + random() * 0.3));
const lines = [];
let revenueCents = 0;
for (let i = 0; i < count; i++) {
  const region = pick(random, REGIONS);
  const currency = CURRENCY_OF_REGION[region];
  const eurCents = 1500 + Math.floor(random() * 23500);
  const roll = random();
  const status = roll < 0.85 ? 'paid' : roll < 0.9 ? 'refunded' : 'cancelled';
  const test = random() < 0.02;
  const seconds = Math.floor(random() * 86400);
  const order = {
    order_id: `o-${date.replaceAll('-', '')}-${String(i).padStart(5, '0')}`,
    created_at: new Date(Date.parse(`${date}T00:00:00Z`) + seconds * 1000).toISOString(),
    customer_id: test ? `test-${i}` : `c-${Math.floor(random() * 4000)}`,
    region,
    channel: pick(random, CHANNELS),
    currency,
    amount_cents: Math.round(eurCents * UNITS_PER_EUR[currency]),
    status,
  };
  if (status === 'paid') revenueCents += eurCents;
  lines.push(JSON.stringify(order));
}
writeFileSync(file, lines.join('\n') + '\n');
emit({ rows: count, paid_revenue_eur: revenueCents / 100, path: file, run_id: values['run-id'] }, { path: file });
