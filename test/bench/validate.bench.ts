// Benchmark: `weir validate` on 1,000 files / 10,000 assets, cold (a fresh process, as in CI), and
// re-validation after a one-file change (watch mode). Targets (DESIGN.md §8): ≤ 1 s cold, ≤ 100 ms per change.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLoaded } from '../../runtime/spec/check-project.ts';
import { loadProject, parseSource } from '../../runtime/spec/load.ts';
import { generateProject } from './generate-project.ts';

const bin = new URL('../../runtime/cli/weir.mjs', import.meta.url).pathname;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchValidate(runs = 5): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-bench-validate-'));
  try {
    const generated = await generateProject(dir, { files: 1000, assets: 10_000, seed: 1 });
    const walls: number[] = [];
    let peakKb = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      // /usr/bin/time -f %M reports the child's peak resident set size in KiB.
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'validate', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      walls.push(performance.now() - started);
      if (r.status !== 0) throw new Error(`validate failed (${r.status}): ${r.stdout.slice(0, 2000)}${r.stderr.slice(0, 2000)}`);
      peakKb = Math.max(peakKb, Number(r.stderr.trim().split('\n').pop()));
    }
    // Watch mode: the project is loaded and checked once; then one file changes and is re-parsed and re-checked.
    let loaded = await loadProject(dir);
    checkLoaded(loaded);
    const changes: number[] = [];
    const victim = loaded.specs[Math.floor(loaded.specs.length / 2)]!;
    const text = await readFile(join(dir, victim.file), 'utf8');
    for (let i = 0; i < 10; i++) {
      const edited = `${text}\n# edit ${i}\n`;
      await writeFile(join(dir, victim.file), edited);
      const started = performance.now();
      const parsed = parseSource(victim.file, await readFile(join(dir, victim.file)));
      loaded = { ...loaded, specs: loaded.specs.map((s) => (s.file === victim.file ? parsed.document : s)) };
      const checked = checkLoaded(loaded);
      changes.push(performance.now() - started);
      if (checked.diagnostics.length) throw new Error('the generated project should validate clean');
    }
    return {
      project: `${generated.files} files, ${generated.assets} assets, ${(generated.bytes / 1e6).toFixed(1)} MB`,
      'cold validate, median ms': Math.round(median(walls)),
      'cold validate, best ms': Math.round(Math.min(...walls)),
      'cold validate, peak RSS MB': Math.round(peakKb / 1024),
      'one-file change, median ms': Math.round(median(changes)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
