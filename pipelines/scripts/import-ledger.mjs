// Copies a ledger CSV from the inbox into the landing zone, keeping only well-formed rows inside the fiscal year.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { dataPath, emit, fail } from './step-io.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'not-before': { type: 'string', default: '1970-01-01' } } });
const source = positionals[0] ?? fail('usage: import-ledger.mjs <file.csv> [--not-before YYYY-MM-DD]');
const [header, ...lines] = readFileSync(source, 'utf8').split('\n').filter(Boolean);
if (header?.trim() !== 'date,net_eur') fail(`${source}: expected the header date,net_eur, found ${header}`);

const kept = [];
let rejected = 0;
for (const line of lines) {
  const [date, net] = line.split(',');
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(date ?? '') && date >= values['not-before'] && Number.isFinite(Number(net));
  if (ok) kept.push(line);
  else rejected++;
}
const target = dataPath('ledger', basename(source));
writeFileSync(target, [header, ...kept].join('\n') + '\n');
emit({ source, rows: kept.length, rejected_rows: rejected }, { path: target, rows: kept.length });
