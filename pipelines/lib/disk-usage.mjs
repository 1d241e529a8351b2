// Node step: how much of the data folder each area uses, so growth shows up in the maintenance run's metadata.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../scripts/step-io.mjs';

function usage(dir) {
  let bytes = 0;
  let files = 0;
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return { bytes, files };
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    bytes += statSync(join(e.parentPath ?? e.path, e.name)).size;
    files++;
  }
  return { bytes, files };
}

/** @param {{ args: { folders?: string[] } }} ctx */
export async function measure(ctx) {
  const metadata = {};
  let bytes = 0;
  let files = 0;
  for (const folder of ctx.args?.folders ?? []) {
    const u = usage(dataPath(folder, '.'));
    metadata[`${folder}_bytes`] = u.bytes;
    bytes += u.bytes;
    files += u.files;
  }
  const megabytes = Math.round((bytes / 1_048_576) * 10) / 10;
  return { metadata: { ...metadata, total_bytes: bytes, files }, outputs: { bytes, files, megabytes } };
}
