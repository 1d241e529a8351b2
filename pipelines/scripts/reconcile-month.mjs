// Compares accounting's ledger with the shop's paid orders, day by day, and writes a report of the days that differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath, emit, fail } from './step-io.mjs';
import { UNITS_PER_EUR } from './synthetic.mjs';

const { values } = parseArgs({
  options: { month: { type: 'string' }, ledger: { type: 'string' }, tolerance: { type: 'string', default: '0.5' } },
});
const month = String(values.month).slice(0, 7); // accepts 2026-01 as well as 2026-01-01
const tolerance = Number(values.tolerance);
let ledgerText;
try {
  ledgerText = readFileSync(values.ledger, 'utf8');
} catch {
  fail(`cannot read the ledger ${values.ledger}`);
}

const ledger = new Map();
for (const line of ledgerText.split('\n').slice(1)) {
  const [date, net] = line.split(',');
  if (date?.startsWith(month)) ledger.set(date, Number(net));
}

function ordersNet(date) {
  let text;
  try {
    text = readFileSync(dataPath('orders', `${date}.jsonl`), 'utf8');
  } catch {
    return undefined;
  }
  let net = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line);
    if (o.status === 'paid' && !o.customer_id.startsWith('test-')) net += o.amount_cents / 100 / UNITS_PER_EUR[o.currency];
  }
  return Math.round(net * 100) / 100;
}

const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
const differences = [];
for (let d = 1; d <= days; d++) {
  const date = `${month}-${String(d).padStart(2, '0')}`;
  const booked = ledger.get(date);
  const sold = ordersNet(date);
  if (booked === undefined && sold === undefined) continue;
  const delta = Math.round(((booked ?? 0) - (sold ?? 0)) * 100) / 100;
  if (Math.abs(delta) > tolerance) differences.push({ date, ledger_eur: booked ?? null, orders_eur: sold ?? null, delta_eur: delta });
}
const report = dataPath('reports', `reconciliation-${month}.json`);
writeFileSync(report, JSON.stringify({ month, tolerance_eur: tolerance, differences }, null, 2) + '\n');
emit(
  { month, ledger_days: ledger.size, mismatched_days: differences.length, largest_delta_eur: Math.max(0, ...differences.map((x) => Math.abs(x.delta_eur))) },
  { mismatched_days: differences.length, report_path: report },
);
