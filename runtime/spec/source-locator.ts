// Finds the source span of a key path in a parsed YAML document, lazily and without re-parsing.
import { isAlias, isMap, isScalar, isSeq, LineCounter, Scalar, type Alias, type Node, type Pair, type YAMLMap } from 'yaml';
import type { KeyPath, Span } from './diagnostics.ts';
import { isMergeKey, keyString } from './yaml-value.ts';

export interface LocateOptions {
  key?: boolean;
  offset?: number;
  length?: number;
}

// Below this many entries a linear scan beats building an index.
const INDEX_THRESHOLD = 16;
// Merge chains deeper than this are not followed when locating (values still merge; positions fall back).
const MAX_MERGE_HOPS = 16;

/**
 * Positions are 1-based; columns count UTF-16 code units of the line (what JS string offsets and
 * most editors' LSP positions use), so a non-ASCII character outside the BMP counts as two.
 * A CR before LF belongs to the line break, so CRLF files give the same positions as LF files.
 */
export class SourceLocator {
  private lines: LineCounter | undefined;
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly text: string,
    private readonly root: Node | null,
    private readonly aliasTargets: ReadonlyMap<Alias, Node>,
  ) {}

  locate(path: KeyPath, opts: LocateOptions = {}): Span {
    let node: Node | null = this.root;
    let key: Node | undefined;
    let matched = true;
    for (const seg of path) {
      const child = node && this.child(node, seg);
      if (!child) {
        matched = false;
        break;
      }
      key = child.key;
      node = child.value;
    }
    if (!matched) return key ? this.nodeSpan(key) : this.nodeSpan(node);
    if (opts.key && key) return this.nodeSpan(key);
    if (opts.offset !== undefined && isScalar(node)) {
      const span = this.scalarSpan(node, opts.offset, opts.length ?? 1);
      if (span) return span;
    }
    // An empty value (`name:` with nothing after it) has no text of its own; its key stands in for it.
    if (key && (!node || !node.range || node.range[0] === node.range[1])) return this.nodeSpan(key);
    return this.nodeSpan(node);
  }

  /** The span of an offset range, 1-based, for diagnostics found outside any node. */
  spanOf(start: number, end: number): Span {
    const a = this.pos(start);
    const b = this.pos(Math.max(end, start));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  private child(parent: Node, seg: string | number): { key: Node | undefined; value: Node | null } | undefined {
    const node = this.deref(parent);
    if (isSeq(node)) {
      if (typeof seg !== 'number') return undefined;
      const item = node.items[seg] as Node | null | undefined;
      return item === undefined ? undefined : { key: undefined, value: item };
    }
    if (isMap(node)) {
      const pair = this.findPair(node as YAMLMap, String(seg), 0);
      return pair ? { key: pair.key as Node, value: pair.value as Node | null } : undefined;
    }
    return undefined;
  }

  private findPair(map: YAMLMap, name: string, hops: number): Pair | undefined {
    const pair = map.items.length < INDEX_THRESHOLD ? this.scan(map, name) : this.index(map).get(name);
    if (pair || hops >= MAX_MERGE_HOPS) return pair;
    // Not an explicit key: it may come from a `<<` merge, whose source text is where it is written.
    for (const p of map.items) {
      if (!isMergeKey(p.key)) continue;
      const value = this.deref(p.value as Node | null);
      const sources = isSeq(value) ? (value.items as (Node | null)[]) : [value];
      for (const s of sources) {
        const m = this.deref(s);
        const found = isMap(m) ? this.findPair(m as YAMLMap, name, hops + 1) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  private scan(map: YAMLMap, name: string): Pair | undefined {
    for (const p of map.items) if (!isMergeKey(p.key) && keyString(p.key, this.text) === name) return p as Pair;
    return undefined;
  }

  private index(map: YAMLMap): Map<string, Pair> {
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        if (isMergeKey(p.key)) continue;
        const name = keyString(p.key, this.text);
        if (!index.has(name)) index.set(name, p as Pair);
      }
      this.indexes.set(map, index);
    }
    return index;
  }

  private deref(node: Node | null | undefined): Node | null {
    if (!node) return null;
    return isAlias(node) ? (this.aliasTargets.get(node) ?? node) : node;
  }

  /** The span of `length` characters at `offset` of a scalar's value, when its source maps 1:1 onto the value. */
  private scalarSpan(node: Scalar, offset: number, length: number): Span | undefined {
    const value = node.value;
    if (typeof value !== 'string' || !node.range || offset < 0 || offset > value.length) return undefined;
    const endOffset = Math.min(value.length, offset + Math.max(length, 0));
    const start = this.sourceOffset(node, value, offset);
    const end = this.sourceOffset(node, value, endOffset);
    return start === undefined || end === undefined ? undefined : this.spanOf(start, end);
  }

  private sourceOffset(node: Scalar, value: string, offset: number): number | undefined {
    const [from, to] = node.range!;
    const text = this.text;
    switch (node.type) {
      case Scalar.PLAIN:
        return to - from === value.length && text.startsWith(value, from) ? from + offset : undefined;
      case Scalar.QUOTE_SINGLE:
      case Scalar.QUOTE_DOUBLE:
        return to - from === value.length + 2 && text.startsWith(value, from + 1) ? from + 1 + offset : undefined;
      case Scalar.BLOCK_LITERAL:
        return this.literalOffset(from, to, value, offset);
      default:
        return undefined;
    }
  }

  /** Maps an offset in a literal block's value to the source: value lines are source lines minus the indentation. */
  private literalOffset(from: number, to: number, value: string, offset: number): number | undefined {
    const text = this.text;
    const header = text.indexOf('\n', from);
    // An explicit indentation indicator is relative to the parent's indentation, which we do not track.
    if (header < 0 || header >= to || /[1-9]/.test(text.slice(from, header))) return undefined;
    const indent = literalIndent(text, header + 1, to);
    let line = header + 1;
    let valueLine = 0;
    for (;;) {
      const nl = value.indexOf('\n', valueLine);
      if (nl < 0 || offset <= nl) break;
      const next = text.indexOf('\n', line);
      if (next < 0 || next >= to) return undefined;
      line = next + 1;
      valueLine = nl + 1;
    }
    const lineEnd = value.indexOf('\n', valueLine);
    const content = value.slice(valueLine, lineEnd < 0 ? value.length : lineEnd);
    if (content.length === 0) return line;
    return text.startsWith(content, line + indent) ? line + indent + (offset - valueLine) : undefined;
  }

  private nodeSpan(node: Node | null | undefined): Span {
    if (!node || !node.range) return this.spanOf(0, 0);
    let [start, end] = node.range;
    const text = this.text;
    while (end > start + 1 && isSpace(text.charCodeAt(end - 1))) end--;
    // A collection's span stops at the end of its first line: a caret under a whole block would underline half the file.
    if (isMap(node) || isSeq(node)) end = Math.min(end, this.lineEnd(start));
    return this.spanOf(start, end);
  }

  private lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    if (nl < 0) return this.text.length;
    return this.text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  }

  private pos(offset: number): { line: number; col: number } {
    if (!this.lines) this.lines = lineCounterOf(this.text);
    return this.lines.linePos(offset);
  }
}

/** The indentation of a literal block: the leading spaces of its first non-blank line. */
function literalIndent(text: string, from: number, to: number): number {
  let line = from;
  while (line < to) {
    let i = line;
    while (text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) return i - line;
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    line = nl + 1;
  }
  return 0;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Line starts, found only when a position is first asked for: files without diagnostics never pay. */
function lineCounterOf(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}
