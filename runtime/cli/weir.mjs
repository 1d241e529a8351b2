#!/usr/bin/env node
// The `weir` command: runs the bundle that `npm install` builds (npm run build).
import { existsSync } from 'node:fs';

const bundle = new URL('../../dist/weir.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('weir: the command is not built yet; run `npm run build` in the Weir checkout\n');
  process.exit(2);
}
await import(bundle.href);
