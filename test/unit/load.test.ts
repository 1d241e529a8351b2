// The loader: values, source positions, and which files a project is made of.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject, parseSource, type SourceDocument } from '../../runtime/spec/load.ts';

const fixtures = new URL('../fixtures/load/', import.meta.url).pathname;

function doc(text: string): SourceDocument {
  const { document, diagnostics } = parseSource('spec.yaml', text);
  expect(diagnostics).toEqual([]);
  return document;
}

const SPEC = [
  'assets:', //                                      line 1
  '  raw_events:', //                                line 2
  '    group: user_events', //                       line 3
  "    run: [node, 'scripts/fetch.mjs', \"--date\"]", // line 4
  '    query: |', //                                 line 5
  '      select *', //                               line 6
  '      from raw_events', //                        line 7
  '    note:', //                                    line 8
  '    escaped: "a\\tb"', //                         line 9
  '',
].join('\n');

describe('values', () => {
  it('reads the YAML 1.2 core schema: no yes/no booleans, dates stay strings', () => {
    expect(doc('a: yes\nb: 2026-01-01\nc: 0o17\nd: true\ne: ~\nf: 1.5\n').value).toEqual({ a: 'yes', b: '2026-01-01', c: 15, d: true, e: null, f: 1.5 });
  });

  it('turns keys that are not strings into their source text', () => {
    expect(Object.keys(doc('1: a\ntrue: b\n1.0: c\n').value as object)).toEqual(['1', 'true', '1.0']);
  });

  it('applies merge keys with explicit keys winning', () => {
    expect(doc('base: &b { x: 1, y: 2 }\nc:\n  <<: *b\n  y: 3\n').value).toEqual({ base: { x: 1, y: 2 }, c: { y: 3, x: 1 } });
  });

  it('copies aliased values instead of sharing them', () => {
    const value = doc('a: &a { x: 1 }\nb: *a\n').value as { a: object; b: object };
    expect(value.b).toEqual(value.a);
    expect(value.b).not.toBe(value.a);
  });

  it('treats a file with only comments as an empty mapping', () => {
    expect(doc('# nothing here yet\n').value).toEqual({});
  });
});

describe('positions', () => {
  it('locates a scalar value', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'group'])).toEqual({ line: 3, column: 12, endLine: 3, endColumn: 23 });
  });

  it('locates a key when asked for the key', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events'], { key: true })).toEqual({ line: 2, column: 3, endLine: 2, endColumn: 13 });
  });

  it('locates a sequence item', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'run', 0])).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 15 });
  });

  it('locates characters inside a plain scalar', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'group'], { offset: 5, length: 6 })).toEqual({ line: 3, column: 17, endLine: 3, endColumn: 23 });
  });

  it('locates characters inside a single-quoted scalar', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'run', 1], { offset: 8 })).toEqual({ line: 4, column: 26, endLine: 4, endColumn: 27 });
  });

  it('locates characters inside a double-quoted scalar without escapes', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'run', 2], { offset: 2, length: 4 })).toEqual({ line: 4, column: 41, endLine: 4, endColumn: 45 });
  });

  it('locates characters on the second line of a literal block', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'query'], { offset: 14, length: 10 })).toEqual({ line: 7, column: 12, endLine: 7, endColumn: 22 });
  });

  it('falls back to the whole scalar when escapes break the 1:1 mapping', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'escaped'], { offset: 2 })).toEqual({ line: 9, column: 14, endLine: 9, endColumn: 20 });
  });

  it('falls back to the key of the nearest ancestor that exists', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'retry', 'attempts'])).toEqual({ line: 2, column: 3, endLine: 2, endColumn: 13 });
  });

  it('points at the key of an empty value', () => {
    expect(doc(SPEC).locate(['assets', 'raw_events', 'note'])).toEqual({ line: 8, column: 5, endLine: 8, endColumn: 9 });
  });

  it('locates a key that comes from a merge where it is written', () => {
    expect(doc('base: &b { retries: 3 }\nasset:\n  <<: *b\n').locate(['asset', 'retries'])).toEqual({ line: 1, column: 21, endLine: 1, endColumn: 22 });
  });

  it('gives CRLF files the same positions as LF files', () => {
    const crlf = doc(SPEC.replaceAll('\n', '\r\n'));
    const lf = doc(SPEC);
    for (const path of [['assets', 'raw_events', 'group'], ['assets', 'raw_events', 'query'], ['assets', 'raw_events', 'run', 2]]) {
      expect(crlf.locate(path)).toEqual(lf.locate(path));
    }
    expect(crlf.locate(['assets', 'raw_events', 'query'], { offset: 14, length: 10 })).toEqual({ line: 7, column: 12, endLine: 7, endColumn: 22 });
  });

  it('does not shift columns for a byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('name: weir\n')]);
    const { document } = parseSource('weir.yaml', bytes);
    expect(document.text).toBe('name: weir\n');
    expect(document.locate(['name'])).toEqual({ line: 1, column: 7, endLine: 1, endColumn: 11 });
  });

  it('counts columns in UTF-16 code units', () => {
    // 'é' is one code unit and '😀' two, so `z` is the 10th code unit of its line.
    expect(doc('k: "é😀"\nb: [é😀, z]\n').locate(['b', 1])).toEqual({ line: 2, column: 10, endLine: 2, endColumn: 11 });
  });

  it('gives a place with the file and key path', () => {
    expect(doc(SPEC).place(['assets', 'raw_events', 'group'])).toEqual({ file: 'spec.yaml', path: ['assets', 'raw_events', 'group'], line: 3, column: 12, endLine: 3, endColumn: 23 });
  });
});

describe('loadProject', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it('reads the spec files under the listed folders, sorted, YAML only', async () => {
    const project = await loadProject(join(fixtures, 'basic'));
    expect(project.diagnostics).toEqual([]);
    expect(project.config?.value).toEqual({ project: 'basic', specs: ['pipelines'] });
    expect(project.specs.map((s) => s.file)).toEqual(['pipelines/events.yaml', 'pipelines/nested/clean.yml']);
  });

  it('lists every project file, relative and sorted', async () => {
    const project = await loadProject(join(fixtures, 'basic'));
    expect(project.files).toEqual(['extra.yaml', 'pipelines/README.md', 'pipelines/events.yaml', 'pipelines/nested/clean.yml', 'sql/clean_events.sql', 'weir.yaml']);
  });

  it('reads every YAML file of the project when weir.yaml lists no specs, skipping hidden folders', async () => {
    const project = await loadProject(join(fixtures, 'default-specs'));
    expect(project.diagnostics).toEqual([]);
    expect(project.specs.map((s) => s.file)).toEqual(['a.yaml', 'sub/b.yml']);
  });

  it('reads the files a glob in specs matches', async () => {
    const project = await loadProject(join(fixtures, 'globs'));
    expect(project.diagnostics).toEqual([]);
    expect(project.specs.map((s) => s.file)).toEqual(['teams/ops/pipelines/vacuum.yaml', 'teams/sales/pipelines/orders.yaml']);
  });

  it('reports a spec folder or glob that matches nothing at its entry in weir.yaml', async () => {
    const project = await loadProject(join(fixtures, 'missing-folder'));
    expect(project.specs.map((s) => s.file)).toEqual(['pipelines/a.yaml']);
    expect(project.diagnostics.map(({ code, file, line, column, message }) => ({ code, file, line, column, message }))).toEqual([
      { code: 'spec-folder-missing', file: 'weir.yaml', line: 4, column: 5, message: 'spec folder `nowhere` does not exist or matches no files' },
      { code: 'spec-folder-missing', file: 'weir.yaml', line: 5, column: 5, message: 'spec folder `teams/*/specs/*.yaml` does not exist or matches no files' },
    ]);
  });

  it('reports a missing weir.yaml and still reads the specs', async () => {
    const project = await loadProject(join(fixtures, 'no-project-file'));
    expect(project.config).toBeUndefined();
    expect(project.specs.map((s) => s.file)).toEqual(['lonely.yaml']);
    expect(project.diagnostics.map(({ code, file, line, column }) => ({ code, file, line, column }))).toEqual([
      { code: 'project-file-missing', file: 'weir.yaml', line: 1, column: 1 },
    ]);
  });

  it('never descends into node_modules, .git, .weir or dist', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'weir-load-'));
    writeFileSync(join(scratch, 'weir.yaml'), 'project: p\n');
    for (const dir of ['node_modules/pkg', '.git', '.weir', 'dist', 'src/dist']) {
      mkdirSync(join(scratch, dir), { recursive: true });
      writeFileSync(join(scratch, dir, 'x.yaml'), 'assets: {}\n');
    }
    writeFileSync(join(scratch, 'src', 'kept.yaml'), 'assets: {}\n');
    const project = await loadProject(scratch);
    expect(project.files).toEqual(['src/kept.yaml', 'weir.yaml']);
    expect(project.specs.map((s) => s.file)).toEqual(['src/kept.yaml']);
  });

  it('follows symlinks inside the project but not out of it, and never loops', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'weir-load-'));
    const root = join(scratch, 'project');
    mkdirSync(join(root, 'shared'), { recursive: true });
    mkdirSync(join(scratch, 'elsewhere'));
    writeFileSync(join(scratch, 'elsewhere', 'secret.yaml'), 'assets: {}\n');
    writeFileSync(join(root, 'weir.yaml'), 'project: p\n');
    writeFileSync(join(root, 'shared', 'common.yaml'), 'assets: {}\n');
    symlinkSync(join(scratch, 'elsewhere'), join(root, 'outside'));
    symlinkSync(join(scratch, 'elsewhere', 'secret.yaml'), join(root, 'secret.yaml'));
    symlinkSync(join(root, 'shared'), join(root, 'linked'));
    symlinkSync(root, join(root, 'shared', 'loop'));
    const project = await loadProject(root);
    expect(project.files).toEqual(['linked/common.yaml', 'shared/common.yaml', 'weir.yaml']);
  });

  it('rejects a file over the size limit without parsing it', async () => {
    const project = await loadProject(join(fixtures, 'basic'), { maxFileBytes: 40 });
    const big = project.diagnostics.find((d) => d.file === 'pipelines/events.yaml');
    expect(big).toMatchObject({ code: 'file-too-large', line: 1, column: 1, message: 'file is 74 bytes; spec files may be at most 40 bytes' });
    expect(project.specs.find((s) => s.file === 'pipelines/events.yaml')?.value).toBeUndefined();
  });
});
