// Check: a merchant's normalised feed exists and every product has a SKU and a positive price. Exit 0 passes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath, emit, fail } from './step-io.mjs';

const { values } = parseArgs({ options: { merchant: { type: 'string' } } });
const file = dataPath('catalog', 'merchants', `${values.merchant}.jsonl`);
let lines;
try {
  lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
} catch {
  fail(`no feed for merchant ${values.merchant} at ${file}`);
}
if (lines.length === 0) fail(`the feed of merchant ${values.merchant} is empty`);
const bad = lines.map((l) => JSON.parse(l)).filter((p) => typeof p.sku !== 'string' || !(p.price_eur > 0));
if (bad.length > 0) fail(`${bad.length} product(s) without SKU or price, first: ${JSON.stringify(bad[0])}`);
emit({ products: lines.length });
