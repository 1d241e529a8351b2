// Builds the plain JS value of a parsed YAML document, enforcing the loader's guards on the way.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Alias, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { KeyPath } from './diagnostics.ts';

export type ValueIssue =
  | { kind: 'duplicate-key'; key: string; start: number; end: number; path: KeyPath }
  | { kind: 'unknown-tag'; tag: string; start: number; end: number; path: KeyPath }
  | { kind: 'alias-limit'; start: number; end: number; path: KeyPath }
  | { kind: 'nesting-too-deep'; start: number; end: number; path: KeyPath }
  | { kind: 'yaml-syntax'; detail: string; start: number; end: number; path: KeyPath };

export interface BuiltValue {
  /** Undefined when a fatal guard (alias cap, depth) stopped the build. */
  value: unknown;
  issues: ValueIssue[];
  /** Where each alias points, for locating paths that run through an alias. */
  aliasTargets: Map<Alias, Node>;
}

export interface ValueLimits {
  maxDepth: number;
  maxAliasCount: number;
}

const CORE = 'tag:yaml.org,2002:';
const ALLOWED_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => CORE + t));
const SCALAR_TYPES: Record<string, string> = { [CORE + 'int']: 'number', [CORE + 'float']: 'number', [CORE + 'bool']: 'boolean' };

/** What an anchored node expands to wherever an alias repeats it. */
interface Anchored {
  value: unknown;
  size: number;
  height: number;
}

class Fatal extends Error {}

/** Converts `root` (a node of a document parsed from `text`) to plain JS values. */
export function buildValue(root: Node | null, text: string, limits: ValueLimits): BuiltValue {
  const builder = new ValueBuilder(text, limits);
  let value: unknown;
  try {
    value = root === null ? null : builder.convert(root, 1);
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    value = undefined;
  }
  return { value, issues: builder.issues, aliasTargets: builder.aliasTargets };
}

/** The string a mapping key stands for: its string value, else its source text (`1`, `true`, `[a]`). */
export function keyString(key: unknown, text: string): string {
  if (isScalar(key)) {
    if (typeof key.value === 'string') return key.value;
    if (key.range) return text.slice(key.range[0], key.range[1]);
    return String(key.value);
  }
  if (isAlias(key) || isMap(key) || isSeq(key)) return key.range ? text.slice(key.range[0], key.range[1]) : '';
  return '';
}

/** Sets a property without ever letting `__proto__` reach the prototype setter. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === Scalar.PLAIN && key.value === '<<';
}

class ValueBuilder {
  readonly issues: ValueIssue[] = [];
  readonly aliasTargets = new Map<Alias, Node>();
  private readonly anchors = new Map<string, Node>();
  private readonly anchored = new Map<Node, Anchored>();
  private readonly open = new Set<string>();
  private readonly path: (string | number)[] = [];
  private budget: number;
  // The size and height of the node converted last: fields rather than a returned tuple keep the hot path allocation-free.
  private size = 0;
  private height = 0;

  constructor(
    private readonly text: string,
    private readonly limits: ValueLimits,
  ) {
    this.budget = limits.maxAliasCount;
  }

  /** Converts `node`, which sits at nesting `depth` (the root collection is depth 1). */
  convert(node: Node, depth: number): unknown {
    if (isAlias(node)) return this.alias(node, depth);
    this.checkTag(node);
    const anchor = node.anchor;
    if (anchor !== undefined) this.open.add(anchor);
    let value: unknown;
    if (isScalar(node)) {
      value = node.value;
      this.size = 1;
      this.height = 0;
    } else if (isMap(node)) {
      value = this.map(node as YAMLMap<unknown, unknown>, depth);
    } else if (isSeq(node)) {
      value = this.seq(node as YAMLSeq<unknown>, depth);
    } else {
      value = null;
      this.size = 1;
      this.height = 0;
    }
    if (anchor !== undefined) {
      this.open.delete(anchor);
      this.anchors.set(anchor, node);
      this.anchored.set(node, { value, size: this.size, height: this.height });
    }
    return value;
  }

  private map(node: YAMLMap<unknown, unknown>, depth: number): Record<string, unknown> {
    this.enter(node, depth);
    const obj: Record<string, unknown> = {};
    let size = 1;
    let height = 0;
    let merges: Record<string, unknown>[] | undefined;
    for (const pair of node.items) {
      const key = pair.key;
      if (isMergeKey(key)) {
        merges = this.merge(pair, depth, merges ?? []);
        size += this.size;
        height = Math.max(height, this.height);
        continue;
      }
      const name = this.key(key);
      const duplicate = Object.hasOwn(obj, name);
      if (duplicate) this.duplicate(key, name);
      this.path.push(name);
      const value = pair.value === null ? null : this.convert(pair.value as Node, depth + 1);
      this.path.pop();
      if (pair.value === null) this.size = this.height = 0;
      size += 1 + this.size;
      height = Math.max(height, this.height);
      // The first occurrence wins, so positions and values agree on which entry a path names.
      if (!duplicate) setOwn(obj, name, value);
    }
    if (merges) {
      // Explicit keys win over merged ones, and earlier merge sources over later ones (YAML merge rules).
      for (const source of merges) for (const k of Object.keys(source)) if (!Object.hasOwn(obj, k)) setOwn(obj, k, source[k]);
    }
    this.size = size;
    this.height = height + 1;
    return obj;
  }

  private seq(node: YAMLSeq<unknown>, depth: number): unknown[] {
    this.enter(node, depth);
    const items = node.items;
    const arr: unknown[] = new Array(items.length);
    let size = 1;
    let height = 0;
    for (let i = 0; i < items.length; i++) {
      this.path.push(i);
      const item = items[i];
      arr[i] = item === null || item === undefined ? null : this.convert(item as Node, depth + 1);
      this.path.pop();
      if (item === null || item === undefined) this.size = this.height = 0;
      size += this.size;
      height = Math.max(height, this.height);
    }
    this.size = size;
    this.height = height + 1;
    return arr;
  }

  /** `<<: *base` or `<<: [*a, *b]`: the mappings to merge, in order. */
  private merge(pair: Pair<unknown, unknown>, depth: number, into: Record<string, unknown>[]): Record<string, unknown>[] {
    const value = pair.value as Node | null;
    this.path.push('<<');
    const sources = isSeq(value) ? (value.items as (Node | null)[]) : [value];
    let size = 0;
    let height = 0;
    for (const source of sources) {
      const merged = source === null ? null : this.convert(source, depth + 1);
      size += this.size;
      height = Math.max(height, this.height);
      if (merged !== null && typeof merged === 'object' && !Array.isArray(merged)) into.push(merged as Record<string, unknown>);
      else this.syntax('`<<` merges only mappings: give it an alias of a mapping, or a list of them', source ?? value ?? (pair.key as Node));
    }
    this.path.pop();
    this.size = size;
    this.height = height;
    return into;
  }

  private alias(node: Alias, depth: number): unknown {
    const target = this.anchors.get(node.source);
    const facts = target && this.anchored.get(target);
    if (!target || !facts) {
      const detail = this.open.has(node.source)
        ? `alias \`*${node.source}\` is used inside the value it refers to`
        : `alias \`*${node.source}\` refers to no anchor \`&${node.source}\` before it`;
      this.syntax(detail, node);
      this.size = 1;
      this.height = 0;
      return null;
    }
    this.aliasTargets.set(node, target);
    // Charge the whole expansion before building any of it, so a bomb stops at its first costly alias.
    this.budget -= facts.size;
    if (this.budget < 0) this.fatal({ kind: 'alias-limit', ...this.range(node), path: [...this.path] });
    if (depth - 1 + facts.height > this.limits.maxDepth) this.fatal({ kind: 'nesting-too-deep', ...this.range(node), path: [...this.path] });
    this.size = facts.size;
    this.height = facts.height;
    return cloneValue(facts.value);
  }

  private key(key: unknown): string {
    if (isScalar(key) || isMap(key) || isSeq(key)) this.checkTag(key);
    const name = keyString(key, this.text);
    if ((isScalar(key) || isMap(key) || isSeq(key)) && key.anchor !== undefined) {
      this.anchors.set(key.anchor, key);
      this.anchored.set(key, { value: name, size: 1, height: 0 });
    }
    return name;
  }

  private enter(node: Node, depth: number): void {
    if (depth > this.limits.maxDepth) {
      const start = node.range?.[0] ?? 0;
      this.fatal({ kind: 'nesting-too-deep', start, end: start + 1, path: [...this.path] });
    }
  }

  private checkTag(node: Node): void {
    const tag = node.tag;
    if (tag === undefined) return;
    if (!ALLOWED_TAGS.has(tag)) {
      const short = tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag;
      this.issues.push({ kind: 'unknown-tag', tag: short, ...this.tagRange(node, short), path: [...this.path] });
      return;
    }
    const expected = SCALAR_TYPES[tag];
    if (expected && isScalar(node) && typeof node.value !== expected) {
      this.syntax(`\`${this.source(node)}\` is not a valid \`!!${tag.slice(CORE.length)}\` value`, node);
    }
  }

  /** The tag's own text, found just before the node (bounded look-back: tags sit right before their value). */
  private tagRange(node: Node, short: string): { start: number; end: number } {
    const start = node.range?.[0] ?? 0;
    const from = Math.max(0, start - 1024);
    const at = this.text.slice(from, start).lastIndexOf(short);
    if (at >= 0) return { start: from + at, end: from + at + short.length };
    return this.range(node);
  }

  private duplicate(key: unknown, name: string): void {
    const range = isScalar(key) || isMap(key) || isSeq(key) || isAlias(key) ? this.range(key) : { start: 0, end: 1 };
    this.issues.push({ kind: 'duplicate-key', key: name, ...range, path: [...this.path, name] });
  }

  private syntax(detail: string, node: Node): void {
    this.issues.push({ kind: 'yaml-syntax', detail, ...this.range(node), path: [...this.path] });
  }

  private fatal(issue: ValueIssue): never {
    this.issues.push(issue);
    throw new Fatal();
  }

  private source(node: Node): string {
    return node.range ? this.text.slice(node.range[0], node.range[1]) : '';
  }

  private range(node: Node): { start: number; end: number } {
    const start = node.range?.[0] ?? 0;
    return { start, end: Math.max(node.range?.[1] ?? start, start + 1) };
  }
}

/** A deep copy, so a value repeated by an alias is never shared between two places. */
function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) setOwn(out, k, cloneValue(src[k]));
  return out;
}
