// `npm run bench`: runs the benchmarks and prints their figures (not part of `npm test`).
import { benchBackfill } from './backfill.bench.ts';
import { benchRuns } from './runs.bench.ts';
import { benchTemporalBaseline } from './temporal-baseline.bench.ts';
import { benchValidate } from './validate.bench.ts';

const BENCHES: Record<string, () => Promise<Record<string, number | string>>> = {
  validate: () => benchValidate(),
  runs: () => benchRuns(),
  backfill: () => benchBackfill(),
  'temporal-baseline': () => benchTemporalBaseline(),
};

const only = process.argv.slice(2);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  for (const [k, v] of Object.entries(await bench())) console.log(`${k.padEnd(32)} ${v}`);
}
