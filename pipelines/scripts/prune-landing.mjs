// Deletes landing files whose partition date is older than --keep-days (the nightly archive ran just before).
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataPath, emit } from './step-io.mjs';

const { values } = parseArgs({ options: { 'keep-days': { type: 'string', default: '30' }, 'dry-run': { type: 'string', default: 'false' } } });
const keepDays = Number(values['keep-days']);
if (!Number.isInteger(keepDays) || keepDays < 1) throw new Error(`--keep-days must be a positive integer, got ${values['keep-days']}`);
const dryRun = values['dry-run'] === 'true';
const cutoff = new Date(Date.now() - keepDays * 86_400_000).toISOString().slice(0, 10);

// Landing files carry their partition date in their path: orders/2026-01-01.jsonl, events/2026-01-01/13.jsonl.
function* landingFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isFile()) yield join(e.parentPath ?? e.path, e.name);
}

let deleted = 0;
let freed = 0;
for (const folder of ['orders', 'events']) {
  for (const file of landingFiles(dataPath(folder, '.'))) {
    const date = /(\d{4}-\d{2}-\d{2})/.exec(file)?.[1];
    if (!date || date >= cutoff) continue;
    freed += statSync(file).size;
    deleted++;
    if (!dryRun) rmSync(file);
  }
}
emit({ cutoff, dry_run: dryRun, deleted_files: deleted, freed_bytes: freed }, { deleted_files: deleted, freed_bytes: freed });
