import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { weir } from './run-weir.ts';

const WEIR_YAML = `project: shop
specs: [specs]
resources:
  warehouse: { kind: postgres, url: "\${env.WAREHOUSE_URL}" }
`;

const SPECS = `assets:
  raw_orders:
    step: { kind: command, run: [echo, raw] }
  orders:
    deps: [raw_orders]
    step: { kind: sql, resource: warehouse, file: sql/orders.sql }
  revenue:
    deps: [orders]
    step: { kind: sql, resource: warehouse, query: select 1 }
  kpis:
    deps: [revenue]
    step: { kind: sql, resource: warehouse, query: select 2 }
pipelines:
  nightly:
    select: "*"
`;

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-plan-test-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  git('commit', '-q', '--allow-empty', '-m', 'before the project');
  mkdirSync(join(dir, 'project/specs'), { recursive: true });
  mkdirSync(join(dir, 'project/sql'), { recursive: true });
  writeFileSync(join(dir, 'project/weir.yaml'), WEIR_YAML);
  writeFileSync(join(dir, 'project/specs/shop.yaml'), SPECS);
  writeFileSync(join(dir, 'project/sql/orders.sql'), 'select * from raw_orders\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return dir;
}

describe('weir plan', () => {
  it('reports no changes against the same revision', () => {
    const dir = repo();
    const r = weir(['plan', '--project', join(dir, 'project')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('No changes against HEAD.\n');
  });

  it('lists added, removed and changed things with fields, and the downstream assets affected', () => {
    const dir = repo();
    const specs = SPECS.replace('query: select 1 }', 'query: select 1 }\n    timeout: 5m')
      .replace(/  kpis:\n(?:    .*\n)+/, '')
      .replace('pipelines:', '  returns:\n    step: { kind: command, run: [echo, returns] }\npipelines:');
    writeFileSync(join(dir, 'project/specs/shop.yaml'), specs);
    const r = weir(['plan', '--project', join(dir, 'project'), '--format', 'json']);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.changes).toEqual([
      { section: 'assets', name: 'returns', change: 'added', fields: [] },
      { section: 'assets', name: 'revenue', change: 'changed', fields: ['timeoutMs'] },
      { section: 'assets', name: 'kpis', change: 'removed', fields: [] },
      { section: 'pipelines', name: 'nightly', change: 'changed', fields: ['nodes', 'order'] },
    ]);
    expect(plan.affected).toEqual([]);
  });

  it('counts a changed SQL file as a change of its asset and affects everything downstream', () => {
    const dir = repo();
    writeFileSync(join(dir, 'project/sql/orders.sql'), 'select * from raw_orders where not test\n');
    const r = weir(['plan', '--project', join(dir, 'project'), '--format', 'markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| ~ | asset | `orders` | files |');
    expect(r.stdout).toContain('- `kpis` ← asset orders');
    expect(r.stdout).toContain('- `revenue` ← asset orders');
  });

  it('treats a project missing at the base revision as all new', () => {
    const dir = repo();
    const r = weir(['plan', '--project', join(dir, 'project'), '--base', 'HEAD~1', '--format', 'json']);
    const changes = JSON.parse(r.stdout).changes as { change: string; name: string }[];
    expect(changes.map((c) => `${c.change} ${c.name}`)).toEqual([
      'added kpis',
      'added orders',
      'added raw_orders',
      'added revenue',
      'added nightly',
      'added warehouse',
    ]);
  });

  it('refuses a revision that could be read as an option', () => {
    const dir = repo();
    const r = weir(['plan', '--project', join(dir, 'project'), '--base=--output=/tmp/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a git revision');
  });
});
