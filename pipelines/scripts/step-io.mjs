// How the example's scripts talk to Weir: where the data folder is, and how to report metadata and outputs.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Absolute path inside the local data folder ($WEIR_DATA_DIR, default ./.weir/data); creates parent folders. */
export function dataPath(...parts) {
  const file = resolve(process.env.WEIR_DATA_DIR || '.weir/data', ...parts);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/** Appends one `{"metadata": …, "outputs": …}` line to $WEIR_OUTPUT; prints it when run by hand. */
export function emit(metadata, outputs = {}) {
  const line = JSON.stringify({ metadata, outputs }) + '\n';
  if (process.env.WEIR_OUTPUT) appendFileSync(process.env.WEIR_OUTPUT, line);
  else process.stdout.write(line);
}

/** Exits with a message on stderr: the step (or check) fails with it. */
export function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}
