// Development helper, not a step: writes the ledger export accounting would send for a month, from the order
// exports, into the inbox the ledger_file sensor and month_end_close watch. A few days get a small booking error.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dataPath } from './step-io.mjs';
import { UNITS_PER_EUR, seededRandom } from './synthetic.mjs';

const { values } = parseArgs({ options: { month: { type: 'string' }, inbox: { type: 'string', default: '.weir/inbox/ledger' } } });
const month = String(values.month).slice(0, 7);
const random = seededRandom(`ledger:${month}`);
const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
const rows = ['date,net_eur'];
for (let d = 1; d <= days; d++) {
  const date = `${month}-${String(d).padStart(2, '0')}`;
  let net = 0;
  try {
    for (const line of readFileSync(dataPath('orders', `${date}.jsonl`), 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      if (o.status === 'paid' && !o.customer_id.startsWith('test-')) net += o.amount_cents / 100 / UNITS_PER_EUR[o.currency];
    }
  } catch {
    continue; // no export for that day: accounting has nothing either
  }
  const bookingError = random() < 0.1 ? Math.round(random() * 5000) / 100 : 0;
  rows.push(`${date},${(net + bookingError).toFixed(2)}`);
}
mkdirSync(resolve(values.inbox), { recursive: true });
const file = resolve(values.inbox, `ledger-${month}.csv`);
writeFileSync(file, rows.join('\n') + '\n');
process.stdout.write(`${file}: ${rows.length - 1} day(s)\n`);
