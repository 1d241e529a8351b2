import { describe, expect, it } from 'vitest';
import { checkLoaded } from '../../runtime/spec/check-project.ts';
import { compile } from '../../runtime/spec/compile.ts';
import { parseSource, type LoadedProject } from '../../runtime/spec/load.ts';
import type { Plan } from '../../runtime/spec/plan.ts';
import { diffPlans, renderDiff } from '../../runtime/spec/plan-diff.ts';

function planOf(spec: string, files: Record<string, string> = {}): Plan {
  const config = parseSource('weir.yaml', 'project: shop\nresources:\n  warehouse: { kind: postgres, url: "${env.URL}" }\npools:\n  db: { limit: 2 }\n').document;
  const specs = [parseSource('specs/a.yaml', spec).document];
  const loaded: LoadedProject = { root: '/nowhere', config, specs, files: Object.keys(files), diagnostics: [] };
  const checked = checkLoaded(loaded);
  expect(checked.diagnostics).toEqual([]);
  return compile({ ctx: checked.ctx, environment: undefined, fileContents: new Map(Object.entries(files)) });
}

const BASE = `assets:
  a: { step: { kind: sql, resource: warehouse, query: select 1 } }
  b: { deps: [a], step: { kind: sql, resource: warehouse, file: sql/b.sql } }
  c: { deps: [b], pool: db, step: { kind: sql, resource: warehouse, query: select 3 } }
  d: { step: { kind: command, run: [echo, d] } }
`;

describe('plan diff', () => {
  it('finds nothing between identical plans', () => {
    const plan = planOf(BASE, { 'sql/b.sql': 'select 2' });
    expect(diffPlans(plan, plan)).toMatchObject({ changes: [], affected: [] });
  });

  it('names the changed fields and every asset downstream of a change', () => {
    const before = planOf(BASE, { 'sql/b.sql': 'select 2' });
    const after = planOf(BASE.replace('query: select 1 }', 'query: select 1 }, timeout: 5m'), { 'sql/b.sql': 'select 2' });
    const diff = diffPlans(before, after);
    expect(diff.changes).toEqual([{ section: 'assets', name: 'a', change: 'changed', fields: ['timeoutMs'] }]);
    expect(diff.affected).toEqual([
      { asset: 'b', because: ['asset a'] },
      { asset: 'c', because: ['asset a'] },
    ]);
  });

  it('reports a changed referenced file as a change of `files`', () => {
    const diff = diffPlans(planOf(BASE, { 'sql/b.sql': 'select 2' }), planOf(BASE, { 'sql/b.sql': 'select 22' }));
    expect(diff.changes).toEqual([{ section: 'assets', name: 'b', change: 'changed', fields: ['files'] }]);
    expect(diff.affected.map((a) => a.asset)).toEqual(['c']);
  });

  it('marks users of a changed pool as affected', () => {
    const before = planOf(BASE, { 'sql/b.sql': 'x' });
    const after = { ...before, pools: { db: { limit: 5 } } };
    const diff = diffPlans(before, after);
    expect(diff.changes).toEqual([{ section: 'pools', name: 'db', change: 'changed', fields: ['limit'] }]);
    expect(diff.affected).toEqual([{ asset: 'c', because: ['pool db'] }]);
  });

  it('renders a Markdown table for a pull request', () => {
    const before = planOf(BASE, { 'sql/b.sql': 'x' });
    const after = planOf(BASE.replace(/  d: .*\n/, ''), { 'sql/b.sql': 'x' });
    expect(renderDiff(diffPlans(before, after), 'markdown', 'main')).toBe(
      '### weir plan against `main`\n\n0 added, 0 changed, 1 removed; 0 downstream assets affected (against main).\n\n| | what | name | fields |\n|---|---|---|---|\n| - | asset | `d` |  |\n',
    );
  });
});
