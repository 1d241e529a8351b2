// Hostile YAML: every input yields a positioned diagnostic quickly, never a crash, a hang or a polluted prototype.
import { describe, expect, it } from 'vitest';
import { parseSource, type LoadOptions } from '../../runtime/spec/load.ts';

const TIME_BOUND_MS = 2000;

/** Parses `input` within the time bound and returns the diagnostics as code@line:column, plus the value. */
function parse(input: string | Uint8Array, options?: LoadOptions) {
  const started = performance.now();
  const { document, diagnostics } = parseSource('hostile.yaml', input, options);
  expect(performance.now() - started).toBeLessThan(TIME_BOUND_MS);
  return { value: document.value, found: diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`), diagnostics };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('hostile YAML', () => {
  it('rejects a billion-laughs alias bomb at the first alias that passes the cap', () => {
    const names = 'abcdefghij';
    let text = `a: &a [${Array(10).fill('"lol"').join(', ')}]\n`;
    for (let i = 1; i < 10; i++) text += `${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(', ')}]\n`;
    const { found, value, diagnostics } = parse(text);
    // b's aliases cost 11 values each, c's 111, d's 1111: 110 + 1110 + 7 × 1111 fit in 10,000, d[7] does not.
    expect(found).toEqual(['alias-limit@4:36']);
    expect(diagnostics[0]?.message).toBe('aliases expand to more than 10000 values');
    expect(value).toBeUndefined();
  });

  it('counts merge keys toward the alias cap', () => {
    const ten = (name: string) => `[${Array(10).fill(`*${name}`).join(', ')}]`;
    const text = ['a: &a { x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9, q: 10 }', `b: &b { <<: ${ten('a')} }`, `c: &c { <<: ${ten('b')} }`, `d: { <<: ${ten('c')} }`].join('\n');
    // a is 21 values, b 211, c 2111: 210 + 2110 + 3 × 2111 fit in 10,000, the fourth merge source of d does not.
    expect(parse(text).found).toEqual(['alias-limit@4:23']);
  });

  it('rejects 100,000 nested flow sequences at the first one past the depth limit', () => {
    expect(parse('['.repeat(100_000)).found).toEqual(['nesting-too-deep@1:129']);
  });

  it('rejects 100,000 nested flow mappings', () => {
    expect(parse('{a: '.repeat(100_000)).found).toEqual(['nesting-too-deep@1:513']);
  });

  it('rejects 100,000 nested block mappings', () => {
    // `? ? ? …` opens a block mapping as the key of a block mapping, 100,000 times on one line.
    expect(parse(`${'? '.repeat(100_000)}x\n`).found).toEqual(['nesting-too-deep@1:257']);
  });

  it('rejects block mappings indented past the depth limit', () => {
    let text = '';
    for (let i = 0; i < 2000; i++) text += `${' '.repeat(i)}k:\n`;
    expect(parse(text).found).toEqual(['nesting-too-deep@129:129']);
  });

  it('rejects 100,000 nested block sequences', () => {
    expect(parse(`${'- '.repeat(100_000)}x\n`).found).toEqual(['nesting-too-deep@1:257']);
  });

  it('accepts nesting exactly at the depth limit', () => {
    const { found, value } = parse(`a: ${'['.repeat(127)}${']'.repeat(127)}\n`);
    expect(found).toEqual([]);
    expect(value).toHaveProperty('a');
  });

  it('rejects aliases that nest values past the depth limit', () => {
    const lines = Array.from({ length: 200 }, (_, i) => (i === 0 ? 'a0: &a0 [1]' : `a${i}: &a${i} [*a${i - 1}]`));
    expect(parse(lines.join('\n')).found).toEqual(['nesting-too-deep@128:14']);
  });

  it('rejects a 10 MB scalar by size before parsing it', () => {
    const { found, diagnostics } = parse(utf8(`a: ${'x'.repeat(10 * 1024 * 1024)}\n`));
    expect(found).toEqual(['file-too-large@1:1']);
    expect(diagnostics[0]?.message).toBe('file is 10485764 bytes; spec files may be at most 4194304 bytes');
  });

  it('parses a 10 MB scalar quickly when the size limit allows it', () => {
    const { found, value } = parse(`a: ${'x'.repeat(10 * 1024 * 1024)}\n`, { maxFileBytes: 16 * 1024 * 1024 });
    expect(found).toEqual([]);
    expect((value as { a: string }).a).toHaveLength(10 * 1024 * 1024);
  });

  it('reports a duplicate key at its second occurrence', () => {
    const { found, diagnostics, value } = parse('assets:\n  a: {}\n  b: {}\n  a: { group: x }\n');
    expect(found).toEqual(['duplicate-key@4:3']);
    expect(diagnostics[0]).toMatchObject({ path: 'assets.a', message: 'duplicate key `a`: each key may appear only once in a mapping' });
    expect(value).toEqual({ assets: { a: {}, b: {} } });
  });

  it('rejects a !!js/function tag at the tag', () => {
    const { found, diagnostics } = parse('assets:\n  a: !!js/function "function () { return process.exit(1) }"\n');
    expect(found).toEqual(['unknown-tag@2:6']);
    expect(diagnostics[0]?.message).toBe('unsupported YAML tag `!!js/function`: specs may use only plain YAML values');
  });

  it('rejects a !!python/object/apply tag', () => {
    expect(parse('x: !!python/object/apply:os.system ["rm -rf /"]\n').found).toEqual(['unknown-tag@1:4']);
  });

  it('rejects YAML 1.1 and custom tags', () => {
    expect(parse('a: !!binary aGk=\nb: !!set { x }\nc: !!timestamp 2026-01-01\nd: !!omap [ { x: 1 } ]\ne: !custom 1\n').found).toEqual([
      'unknown-tag@1:4',
      'unknown-tag@2:4',
      'unknown-tag@3:4',
      'unknown-tag@4:4',
      'unknown-tag@5:4',
    ]);
  });

  it('points at the first bad byte of invalid UTF-8 in the middle of a file', () => {
    const bytes = new Uint8Array([...utf8('a: 1\nb: hé'), 0xff, ...utf8('llo\nc: 3\n')]);
    expect(parse(bytes).found).toEqual(['invalid-utf8@2:6']);
  });

  it('accepts a file holding only a byte order mark as empty', () => {
    const { found, value } = parse(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(found).toEqual([]);
    expect(value).toEqual({});
  });

  it('accepts an empty file as an empty mapping', () => {
    const { found, value } = parse(new Uint8Array());
    expect(found).toEqual([]);
    expect(value).toEqual({});
  });

  it('rejects a second document at its `---`', () => {
    expect(parse('assets: {}\n# more\n---\nassets: {}\n').found).toEqual(['multiple-documents@3:1']);
  });

  it('rejects a top-level list', () => {
    const { found, value } = parse('- assets\n- pipelines\n');
    expect(found).toEqual(['not-a-mapping@1:1']);
    expect(value).toBeUndefined();
  });

  it('keeps a __proto__ key as data without touching any prototype', () => {
    const { found, value } = parse('__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\n');
    expect(found).toEqual([]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__', 'constructor']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('rejects an alias used inside its own anchor', () => {
    const { found, diagnostics } = parse('a: &x [1, *x]\n');
    expect(found).toEqual(['yaml-syntax@1:11']);
    expect(diagnostics[0]?.message).toBe('YAML syntax error: alias `*x` is used inside the value it refers to');
  });

  it('rejects an alias to an anchor that does not exist', () => {
    expect(parse('a: *nowhere\n').found).toEqual(['yaml-syntax@1:4']);
  });

  it('explains tab indentation in words', () => {
    const { found, diagnostics } = parse('a:\n\tb: 1\n');
    expect(found).toEqual(['yaml-syntax@2:1']);
    expect(diagnostics[0]?.message).toBe('YAML syntax error: tabs cannot be used for indentation; use spaces');
  });

  it('stops at the first of a megabyte of stray closing brackets', () => {
    const { found, diagnostics } = parse(']'.repeat(1024 * 1024));
    expect(found).toEqual(['yaml-syntax@1:1']);
    expect(diagnostics[0]?.message).toBe('YAML syntax error: unexpected `]`');
  });
});
