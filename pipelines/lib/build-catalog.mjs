// Node step (default export): merges every merchant feed into one catalog file, one row per SKU.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../scripts/step-io.mjs';

export default async function buildCatalog() {
  const dir = dataPath('catalog', 'merchants', '.');
  let feeds = [];
  try {
    feeds = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    // no merchant onboarded yet: an empty catalog is still a valid catalog
  }
  // Oldest feed first, so when two feeds carry the same SKU the most recently imported one wins.
  feeds.sort((a, b) => statSync(join(dir, a)).mtimeMs - statSync(join(dir, b)).mtimeMs);
  const bySku = new Map();
  let rows = 0;
  for (const feed of feeds) {
    for (const line of readFileSync(join(dir, feed), 'utf8').split('\n')) {
      if (!line) continue;
      const product = JSON.parse(line);
      bySku.set(product.sku, product);
      rows++;
    }
  }
  const path = dataPath('catalog', 'products.jsonl');
  writeFileSync(path, [...bySku.values()].map((p) => JSON.stringify(p)).join('\n') + (bySku.size ? '\n' : ''));
  return {
    metadata: { merchants: feeds.length, products: bySku.size, duplicates_dropped: rows - bySku.size },
    outputs: { path, products: bySku.size },
  };
}
