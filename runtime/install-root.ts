// Where this Weir installation lives on disk, whether running from source or from the dist/ bundle.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schema', 'spec.schema.json')) || !existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Weir installation folder (schema/ next to package.json)');
    dir = parent;
  }
  return dir;
}

export const installRoot: string = findRoot();
