import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateProject, type GeneratedProject } from '../bench/generate-project.ts';

interface Dep {
  asset: string;
}
interface SpecFile {
  assets?: Record<string, { deps?: (string | Dep)[] }>;
  pipelines?: Record<string, { select?: string }>;
  schedules?: Record<string, { pipeline: string }>;
}

let dir: string;
let result: GeneratedProject;
let specs: SpecFile[];
/** Every asset in file order, with the names of its dependencies. */
let assets: { name: string; deps: string[] }[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-generate-'));
  result = await generateProject(dir, { files: 20, assets: 200, seed: 7 });
  // Files are named <group>_<index>.yaml; assets are numbered across files in index order.
  const index = (file: string) => Number(/_(\d+)\.yaml$/.exec(file)?.[1]);
  const names = (await readdir(join(dir, 'specs'))).sort((a, b) => index(a) - index(b));
  specs = await Promise.all(names.map(async (n) => parse(await readFile(join(dir, 'specs', n), 'utf8')) as SpecFile));
  assets = specs.flatMap((s) =>
    Object.entries(s.assets ?? {}).map(([name, a]) => ({ name, deps: (a.deps ?? []).map((d) => (typeof d === 'string' ? d : d.asset)) })),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generateProject', () => {
  it('writes weir.yaml and the requested number of spec files', async () => {
    const config = parse(await readFile(join(dir, 'weir.yaml'), 'utf8')) as { project: string; specs: string[] };
    expect(config.specs).toEqual(['specs']);
    expect(specs).toHaveLength(20);
    expect(result.files).toBe(20);
  });

  it('writes the requested number of assets in total', () => {
    expect(assets).toHaveLength(200);
    expect(result.assets).toBe(200);
  });

  it('reports the bytes it wrote', async () => {
    const names = await readdir(join(dir, 'specs'));
    const sizes = await Promise.all([join(dir, 'weir.yaml'), ...names.map((n) => join(dir, 'specs', n))].map(async (f) => (await readFile(f)).length));
    expect(result.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('gives every asset, pipeline and schedule a unique name', () => {
    const names = [
      ...assets.map((a) => a.name),
      ...specs.flatMap((s) => Object.keys(s.pipelines ?? {})),
      ...specs.flatMap((s) => Object.keys(s.schedules ?? {})),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('depends only on assets declared earlier, so the graph is acyclic', () => {
    const seen = new Set<string>();
    for (const asset of assets) {
      for (const dep of asset.deps) expect(seen.has(dep), `${asset.name} → ${dep}`).toBe(true);
      seen.add(asset.name);
    }
  });

  it('gives every asset after the first one to three dependencies', () => {
    const counts = assets.slice(1).map((a) => a.deps.length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
  });

  it('schedules only pipelines that exist', () => {
    const pipelines = new Set(specs.flatMap((s) => Object.keys(s.pipelines ?? {})));
    const scheduled = specs.flatMap((s) => Object.values(s.schedules ?? {}).map((x) => x.pipeline));
    expect(pipelines.size).toBe(4);
    expect(scheduled.filter((p) => !pipelines.has(p))).toEqual([]);
  });

  it('writes the same bytes again for the same seed', async () => {
    const again = await mkdtemp(join(tmpdir(), 'weir-generate-'));
    try {
      await generateProject(again, { files: 20, assets: 200, seed: 7 });
      const files = ['weir.yaml', ...(await readdir(join(dir, 'specs'))).map((n) => join('specs', n))];
      for (const file of files) expect(await readFile(join(again, file), 'utf8'), file).toBe(await readFile(join(dir, file), 'utf8'));
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});
