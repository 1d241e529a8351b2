// Writes one day's paid revenue by region and channel as CSV for the BI tool, from the day's order export.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath, emit, fail } from './step-io.mjs';
import { UNITS_PER_EUR, isoDate } from './synthetic.mjs';

const { values } = parseArgs({ options: { date: { type: 'string' } } });
const date = isoDate(values.date);
let text;
try {
  text = readFileSync(dataPath('orders', `${date}.jsonl`), 'utf8');
} catch {
  fail(`no order export for ${date}; run ingest_orders for the day first`);
}
const totals = new Map();
for (const line of text.split('\n')) {
  if (!line) continue;
  const o = JSON.parse(line);
  if (o.status !== 'paid' || o.customer_id.startsWith('test-')) continue;
  const key = `${o.region},${o.channel}`;
  const t = totals.get(key) ?? { orders: 0, eur: 0 };
  t.orders += 1;
  t.eur += o.amount_cents / 100 / UNITS_PER_EUR[o.currency];
  totals.set(key, t);
}
const rows = [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([key, t]) => `${date},${key},${t.orders},${t.eur.toFixed(2)}`);
const file = dataPath('exports', 'revenue', `${date}.csv`);
writeFileSync(file, ['day,region,channel,orders,net_eur', ...rows].join('\n') + '\n');
emit({ rows: rows.length, path: file }, { path: file, rows: rows.length });
