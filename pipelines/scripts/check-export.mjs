// Check: the day's landing export exists, every line is an order, and order ids are unique. Exit 0 passes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath, emit, fail } from './step-io.mjs';
import { isoDate } from './synthetic.mjs';

const { values } = parseArgs({ options: { date: { type: 'string' } } });
const file = dataPath('orders', `${isoDate(values.date)}.jsonl`);
let text;
try {
  text = readFileSync(file, 'utf8');
} catch {
  fail(`no export at ${file}`);
}
const seen = new Set();
const lines = text.split('\n').filter(Boolean);
for (const [i, line] of lines.entries()) {
  let order;
  try {
    order = JSON.parse(line);
  } catch {
    fail(`line ${i + 1} is not JSON`);
  }
  if (typeof order.order_id !== 'string' || !Number.isInteger(order.amount_cents)) fail(`line ${i + 1} is not an order`);
  if (seen.has(order.order_id)) fail(`order ${order.order_id} appears twice`);
  seen.add(order.order_id);
}
emit({ orders: lines.length });
