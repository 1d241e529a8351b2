// `weir validate [dir]`: every problem of a project, in the format CI wants; exit 1 on errors.
import { watch } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { checkLoaded, sourceLookup, type CheckedProject } from '../spec/check-project.ts';
import { hasErrors } from '../spec/diagnostics.ts';
import { loadProject, parseSource, type LoadedProject } from '../spec/load.ts';
import { renderDiagnostics, type Format } from '../spec/render.ts';
import { readFile } from 'node:fs/promises';
import { VERSION } from './version.ts';
import { environmentName, projectDir } from './project.ts';

export interface ValidateOptions {
  format: Format;
  env?: string;
  watch?: boolean;
}

export async function validateCommand(dir: string, opts: ValidateOptions): Promise<void> {
  const root = projectDir(dir);
  const started = performance.now();
  const loaded = await loadProject(root);
  let checked = checkLoaded(loaded);
  environmentName(checked.model, opts.env);
  report(checked, opts.format, performance.now() - started);
  process.exitCode = hasErrors(checked.diagnostics) ? 1 : 0;
  if (!opts.watch) return;
  await watchProject(loaded, (next, ms) => {
    checked = next;
    report(checked, opts.format, ms);
  });
}

function report(checked: CheckedProject, format: Format, ms: number): void {
  const sources = sourceLookup(checked.loaded);
  const color = format === 'human' && process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(renderDiagnostics(format, checked.diagnostics, sources, { color, toolVersion: VERSION }));
  if (format === 'human' && !hasErrors(checked.diagnostics)) {
    const m = checked.model;
    process.stdout.write(
      `✓ ${m.project}: ${m.assets.size} assets, ${m.pipelines.size} pipelines, ${m.schedules.size} schedules, ${m.sensors.size} sensors in ${checked.loaded.specs.length + 1} files (${Math.round(ms)} ms)\n`,
    );
  }
}

/** Re-validates on every change: a changed spec file is re-parsed alone; anything else reloads the project. */
async function watchProject(initial: LoadedProject, onResult: (checked: CheckedProject, ms: number) => void): Promise<void> {
  let loaded = initial;
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const run = async () => {
    const started = performance.now();
    const files = [...changed];
    changed.clear();
    const known = new Map(loaded.specs.map((s, i) => [s.file, i]));
    if (files.every((f) => known.has(f))) {
      const specs = [...loaded.specs];
      const diagnostics = loaded.diagnostics.filter((d) => !files.includes(d.file));
      for (const file of files) {
        const parsed = parseSource(file, await readFile(resolve(loaded.root, file)));
        specs[known.get(file)!] = parsed.document;
        diagnostics.push(...parsed.diagnostics);
      }
      loaded = { ...loaded, specs, diagnostics };
    } else {
      loaded = await loadProject(loaded.root);
    }
    onResult(checkLoaded(loaded), performance.now() - started);
  };
  const watcher = watch(loaded.root, { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = relative(loaded.root, resolve(loaded.root, name)).split(sep).join('/');
    if (/(^|\/)(node_modules|\.git|\.weir|dist)\//.test(file)) return;
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => void run().catch((err) => process.stderr.write(`weir: ${String(err)}\n`)), 50);
  });
  await new Promise<void>((done) => {
    const stop = () => {
      watcher.close();
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
