// Node step: imports one marketplace merchant's product feed (the partition key is the merchant id).
// Locally the feed is synthetic and deterministic per merchant; a real import would download it here.
import { writeFileSync } from 'node:fs';
import { dataPath } from '../scripts/step-io.mjs';
import { pick, seededRandom } from '../scripts/synthetic.mjs';

const CATEGORIES = ['shoes', 'outdoor', 'kitchen', 'toys', 'garden', 'books'];

/** @param {{ partition: { key: string }, args: { max_products?: number, currency?: string } }} ctx */
export async function importFeed(ctx) {
  const merchant = ctx.partition.key;
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(merchant)) throw new Error(`merchant id ${JSON.stringify(merchant)} is not a safe file name`);
  const random = seededRandom(`feed:${merchant}`);
  const count = 10 + Math.floor(random() * ((ctx.args?.max_products ?? 80) - 10));
  const products = [];
  for (let i = 0; i < count; i++) {
    products.push({
      sku: `${merchant}-${String(i).padStart(4, '0')}`,
      merchant,
      category: pick(random, CATEGORIES),
      price_eur: Math.round((5 + random() * 195) * 100) / 100,
      in_stock: random() > 0.15,
      currency: ctx.args?.currency ?? 'EUR',
    });
  }
  const path = dataPath('catalog', 'merchants', `${merchant}.jsonl`);
  writeFileSync(path, products.map((p) => JSON.stringify(p)).join('\n') + '\n');
  return {
    metadata: { merchant, products: count, out_of_stock: products.filter((p) => !p.in_stock).length },
    outputs: { path },
  };
}
