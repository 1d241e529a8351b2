import { describe, expect, it } from 'vitest';
import { weir } from './run-weir.ts';

const fixture = (p: string) => new URL(`../fixtures/spec/${p}`, import.meta.url).pathname;
const example = new URL('../../pipelines', import.meta.url).pathname;

describe('weir validate', () => {
  it('exits 0 and summarises a clean project', () => {
    const r = weir(['validate', fixture('valid/minimal')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^✓ minimal: 1 assets, 1 pipelines, 0 schedules, 0 sensors in 1 files \(\d+ ms\)$/m);
    expect(r.status).toBe(0);
  });

  it('validates the example project without diagnostics', () => {
    const r = weir(['validate', example, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, diagnostics: [] });
    expect(r.status).toBe(0);
  });

  it('exits 1 and prints the offending line with a caret', () => {
    const r = weir(['validate', fixture('invalid/unknown-dependency')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('specs/main.yaml:5:12: error [unknown-reference] unknown asset `clean_event`; did you mean `clean_events`?');
    expect(r.stdout).toContain('5 |     deps: [clean_event]\n  |            ^^^^^^^^^^^');
  });

  it('prints the JSON shape CI tools read', () => {
    const r = weir(['validate', fixture('invalid/unknown-dependency'), '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({
      code: 'unknown-reference',
      severity: 'error',
      file: 'specs/main.yaml',
      line: 5,
      column: 12,
      path: 'assets.weekly_summary.deps[0]',
    });
    expect(r.status).toBe(1);
  });

  it('prints GitHub workflow annotations', () => {
    const r = weir(['validate', fixture('invalid/unknown-dependency'), '--format', 'github']);
    expect(r.stdout).toMatch(/^::error file=specs\/main\.yaml,line=5,col=12,endLine=5,endColumn=23,title=weir unknown-reference::unknown asset `clean_event`; did you mean `clean_events`\?$/m);
  });

  it('prints SARIF 2.1.0 with rules and physical locations', () => {
    const r = weir(['validate', fixture('invalid/dependency-cycle'), '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('weir');
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('dependency-cycle');
    const result = run.results[0];
    expect(result.ruleId).toBe(run.tool.driver.rules[result.ruleIndex].id);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('specs/main.yaml');
    expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    expect(r.status).toBe(1);
  });

  it('exits 2 on an unknown flag', () => {
    const r = weir(['validate', '--formatt', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--formatt'");
  });

  it('exits 2 on an unknown format', () => {
    expect(weir(['validate', fixture('valid/minimal'), '--format', 'xml']).status).toBe(2);
  });

  it('exits 2 when the folder does not exist', () => {
    const r = weir(['validate', fixture('no-such-project')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such folder');
  });

  it('exits 2 for an environment weir.yaml does not declare', () => {
    const r = weir(['validate', example, '--env', 'staging']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown environment `staging`');
  });
});

describe('weir explain', () => {
  it('shows retry and timeout after project defaults and the environment overlay', () => {
    const base = weir(['explain', 'say_hello', '--project', fixture('valid/minimal'), '--format', 'json']);
    expect(base.status).toBe(0);
    expect(JSON.parse(base.stdout)).toMatchObject({ pipeline: 'say_hello', effective: { kind: 'assets', order: ['hello'] } });
  });

  it('exits 2 with a suggestion for an unknown name', () => {
    const r = weir(['explain', 'say_helo', '--project', fixture('valid/minimal')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean `say_hello`?');
  });
});

describe('weir schema', () => {
  it('prints the schema paths for editor setup', () => {
    const r = weir(['schema']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/spec\.schema\.json/);
    expect(r.stdout).toContain('yaml-language-server');
  });

  it('prints a schema', () => {
    const r = weir(['schema', '--print', 'spec']);
    expect(JSON.parse(r.stdout).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
