// Writes a synthetic but realistic Weir project of a given size, for the validation benchmarks.
// CLI: npx tsx test/bench/generate-project.ts <dir> [--files N] [--assets N] [--seed N]
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface GenerateOptions {
  files: number;
  assets: number;
  seed?: number;
}

export interface GeneratedProject {
  /** Spec files written (weir.yaml not counted). */
  files: number;
  assets: number;
  /** Bytes of YAML written, weir.yaml included. */
  bytes: number;
}

const DOMAINS = ['sales', 'marketing', 'finance', 'logistics', 'support', 'inventory', 'web', 'payments', 'crm', 'hr'] as const;
const ENTITIES = ['orders', 'customers', 'shipments', 'invoices', 'tickets', 'sessions', 'refunds', 'stock', 'leads', 'payouts', 'returns', 'carts'];
const LAYERS = ['bronze', 'silver', 'gold'];
const TEAMS = ['team:data-eng', 'team:analytics', 'team:finance-data', 'team:growth', 'team:platform'];
const ZONES = ['UTC', 'Europe/Berlin'];
const ASSETS_PER_PIPELINE = 50;
// Most dependencies stay near their asset (same or neighbouring file), as in real projects; some reach far back.
const LOCAL_WINDOW = 40;

/** mulberry32: small, fast and deterministic for a seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
}

function rng(seed: number): Rng {
  const next = random(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** What later assets need to know about an earlier one. */
interface AssetInfo {
  name: string;
  partitioned: boolean;
}

interface FilePlan {
  index: number;
  domain: string;
  group: string;
  /** Global index of the file's first asset, and how many it holds. */
  first: number;
  count: number;
}

function planFiles(files: number, assets: number): FilePlan[] {
  const plans: FilePlan[] = [];
  for (let i = 0; i < files; i++) {
    const first = Math.floor((i * assets) / files);
    const domain = DOMAINS[i % DOMAINS.length]!;
    plans.push({ index: i, domain, group: `${domain}_${pad(i, 4)}`, first, count: Math.floor(((i + 1) * assets) / files) - first });
  }
  return plans;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function assetName(file: FilePlan, index: number, r: Rng): string {
  return `${file.domain}.${r.pick(ENTITIES)}_${pad(index, 5)}`;
}

function projectYaml(): string {
  return `# yaml-language-server: $schema=schema/project.schema.json
project: bench-synthetic
specs: [specs]
defaults:
  retry: { attempts: 3, backoff: exponential, initial: 10s, max: 5m }
  timeout: 1h
resources:
  warehouse: { kind: postgres, url: "\${env.WAREHOUSE_URL}" }
pools:
  warehouse: { limit: 8 }
environments:
  dev: { resources: { warehouse: { url: postgres://localhost/bench } } }
`;
}

const SHARED_PARTITIONS = `partitions:
  daily: { kind: time, cadence: daily, start: "2025-01-01", timezone: UTC }

`;

/** 1–3 distinct earlier assets, mostly recent ones. */
function pickDeps(index: number, r: Rng): number[] {
  if (index === 0) return [];
  const wanted = Math.min(index, 1 + r.int(3));
  const chosen = new Set<number>();
  while (chosen.size < wanted) {
    const far = r.next() < 0.15;
    const span = far ? index : Math.min(index, LOCAL_WINDOW);
    chosen.add(index - 1 - r.int(span));
  }
  return [...chosen].sort((a, b) => a - b);
}

function depYaml(dep: AssetInfo, partitioned: boolean, r: Rng): string {
  if (!dep.partitioned) return `      - ${dep.name}\n`;
  // An unpartitioned asset reads every partition of a partitioned one.
  if (!partitioned) return `      - asset: ${dep.name}\n        mapping: { kind: all }\n`;
  const roll = r.next();
  if (roll < 0.15) return `      - asset: ${dep.name}\n        mapping: { kind: window, start: -6, end: 0 }\n`;
  if (roll < 0.35) return `      - asset: ${dep.name}\n        mapping: { kind: identity }\n`;
  return `      - ${dep.name}\n`;
}

function stepYaml(name: string, upstream: string | undefined, partitioned: boolean, r: Rng): string {
  const where = partitioned ? ' where day = ${partition.key}' : '';
  if (r.next() < 0.65) {
    const source = upstream ?? 'landing.raw_events';
    return `    step:
      kind: sql
      resource: warehouse
      query: |
        insert into ${name}
        select * from ${source}${where}
`;
  }
  const date = partitioned ? ', --date, "${partition.key}"' : '';
  return `    step:
      kind: command
      run: [python, -m, jobs.${r.pick(ENTITIES)}, --asset, ${name}${date}]
`;
}

function checkYaml(name: string, partitioned: boolean, r: Rng): string {
  if (r.next() < 0.5) {
    return `    checks:
      - name: keys_present
        kind: not_null
        resource: warehouse
        table: ${name}
        columns: [id, updated_at]
`;
  }
  const where = partitioned ? ' where day = ${partition.key}' : '';
  return `    checks:
      - name: has_rows
        kind: sql
        resource: warehouse
        query: select count(*) > 0 as passed from ${name}${where}
        severity: ${r.next() < 0.7 ? 'error' : 'warn'}
`;
}

function assetYaml(file: FilePlan, info: AssetInfo, deps: AssetInfo[], r: Rng): string {
  const p = info.partitioned;
  let out = `  ${info.name}:
    description: Synthetic ${file.domain} table number ${info.name.slice(-5)} for the validation benchmark.
    group: ${file.group}
    owners: [${r.pick(TEAMS)}]
    tags: { layer: ${r.pick(LAYERS)}, domain: ${file.domain} }
`;
  if (p) out += '    partitions: daily\n';
  if (deps.length > 0) out += '    deps:\n' + deps.map((d) => depYaml(d, p, r)).join('');
  out += stepYaml(info.name, deps[0]?.name, p, r);
  if (r.next() < 0.2) out += '    retry: { attempts: 5, backoff: exponential, initial: 30s, max: 10m }\n';
  if (r.next() < 0.3) out += '    timeout: 20m\n    pool: warehouse\n';
  if (r.next() < 0.3) out += checkYaml(info.name, p, r);
  if (p && r.next() < 0.25) out += '    freshness: { max_lag: 26h }\n';
  return out + '\n';
}

interface PipelineInfo {
  name: string;
  group: string;
  partitioned: boolean;
}

function pipelinesYaml(pipelines: PipelineInfo[]): string {
  if (pipelines.length === 0) return '';
  let out = 'pipelines:\n';
  for (const p of pipelines) {
    out += `  ${p.name}:
    description: Every asset of ${p.group}.
    select: "group:${p.group}"
    concurrency: { limit: 1, behavior: queue }
`;
  }
  return out + '\n';
}

function schedulesYaml(pipelines: PipelineInfo[], r: Rng): string {
  if (pipelines.length === 0) return '';
  let out = 'schedules:\n';
  for (const p of pipelines) {
    out += `  ${p.name}_nightly:
    pipeline: ${p.name}
    cron: "${r.int(60)} ${r.int(6)} * * *"
    timezone: ${r.pick(ZONES)}
${p.partitioned ? '    partition: previous\n' : ''}    overlap: skip
`;
  }
  return out;
}

/** Which files get a pipeline: one per ASSETS_PER_PIPELINE assets, spread evenly over the files. */
function pipelineFiles(files: number, assets: number): Set<number> {
  const count = Math.min(files, Math.max(1, Math.round(assets / ASSETS_PER_PIPELINE)));
  const chosen = new Set<number>();
  for (let k = 0; k < count; k++) chosen.add(Math.floor((k * files) / count));
  return chosen;
}

/**
 * Writes weir.yaml and `opts.files` spec files under `dir/specs` (replaced if present) holding `opts.assets`
 * assets in total. The same options and seed always produce the same bytes.
 */
export async function generateProject(dir: string, opts: GenerateOptions): Promise<GeneratedProject> {
  if (!Number.isInteger(opts.files) || opts.files < 1) throw new Error(`files must be a positive integer, got ${opts.files}`);
  if (!Number.isInteger(opts.assets) || opts.assets < opts.files) throw new Error(`assets must be an integer ≥ files (${opts.files}), got ${opts.assets}`);
  const r = rng(opts.seed ?? 1);
  const specs = join(dir, 'specs');
  await rm(specs, { recursive: true, force: true });
  await mkdir(specs, { recursive: true });
  const project = projectYaml();
  let bytes = Buffer.byteLength(project);
  await writeFile(join(dir, 'weir.yaml'), project);

  const infos: AssetInfo[] = [];
  const withPipeline = pipelineFiles(opts.files, opts.assets);
  const writes: Promise<void>[] = [];
  for (const file of planFiles(opts.files, opts.assets)) {
    let text = '# yaml-language-server: $schema=../schema/spec.schema.json\n';
    if (file.index === 0) text += SHARED_PARTITIONS;
    text += 'assets:\n';
    let partitioned = false;
    for (let i = file.first; i < file.first + file.count; i++) {
      const info: AssetInfo = { name: assetName(file, i, r), partitioned: r.next() < 0.5 };
      partitioned ||= info.partitioned;
      text += assetYaml(file, info, pickDeps(i, r).map((d) => infos[d]!), r);
      infos.push(info);
    }
    const pipelines = withPipeline.has(file.index) ? [{ name: `refresh_${file.group}`, group: file.group, partitioned }] : [];
    text += pipelinesYaml(pipelines) + schedulesYaml(pipelines, r);
    bytes += Buffer.byteLength(text);
    writes.push(writeFile(join(specs, `${file.group}.yaml`), text));
  }
  await Promise.all(writes);
  return { files: opts.files, assets: opts.assets, bytes };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { files: { type: 'string', default: '1000' }, assets: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } },
  });
  const dir = positionals[0];
  if (dir === undefined) {
    process.stderr.write('usage: generate-project.ts <dir> [--files N] [--assets N] [--seed N]\n');
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const result = await generateProject(resolve(dir), { files: Number(values.files), assets: Number(values.assets), seed: Number(values.seed) });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`${dir}: ${result.files} spec files, ${result.assets} assets, ${(result.bytes / 1e6).toFixed(1)} MB in ${ms} ms\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
