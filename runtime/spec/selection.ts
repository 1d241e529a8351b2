// Asset selections (`group:user_events and not tag:pii`, `2+weekly_summary`, `sales.*`): parsing with
// positioned problems, and evaluation against the asset graph, linear in its size per operator.
import { at, lex, SelectionSyntaxError, type Token } from './selection-lexer.ts';
import { closest } from './suggest.ts';

/** How far a graph traversal goes: a number of levels (0: none) or all the way. */
export type Depth = number | 'all';

export type Attribute = 'group' | 'owner' | 'kind' | 'partitions';

/** The AST. Leaves carry the offset and length of their text, for diagnostics. */
export type Selection =
  | { kind: 'all'; offset: number; length: number }
  | { kind: 'name'; name: string; offset: number; length: number }
  | { kind: 'glob'; pattern: string; offset: number; length: number }
  | { kind: 'attribute'; attribute: Attribute; value: string; offset: number; length: number }
  | { kind: 'tag'; key: string; value?: string; offset: number; length: number }
  | { kind: 'traverse'; selection: Selection; up: Depth; down: Depth }
  | { kind: 'not'; selection: Selection }
  | { kind: 'and'; items: Selection[] }
  | { kind: 'or'; items: Selection[] };

export type SelectionProblem = { offset: number; length: number; message: string };

export interface AssetAttributes {
  group?: string;
  owners: readonly string[];
  tags: Readonly<Record<string, string>>;
  /** The step kind. */
  kind?: string;
  /** The name of the partition definition. */
  partitions?: string;
}

/** The graph a selection is evaluated on. Treated as immutable: attribute indexes are cached per graph object. */
export interface SelectionGraph {
  names: readonly string[];
  /** Undefined exactly for names that are not assets. */
  attrs(name: string): AssetAttributes | undefined;
  upstream(name: string): readonly string[];
  downstream(name: string): readonly string[];
}

// ── parsing ────────────────────────────────────────────────────────────────

const ATTRIBUTES: readonly string[] = ['group', 'tag', 'owner', 'kind', 'key', 'partitions'];
const EXPECTED = 'an asset name, `*`, an attribute such as `group:<name>` or `tag:<key>=<value>`, `not` or `(`';
// Deeply nested input must become a problem, not a stack overflow.
const MAX_NESTING = 64;

/** Parses a selection. On a syntax problem the selection is undefined and the problem says where and what was expected. */
export function parseSelection(text: string): { selection?: Selection; problems: SelectionProblem[] } {
  try {
    const parser = new Parser(lex(text));
    if (parser.peek().kind === 'end') {
      return { problems: [{ offset: 0, length: text.length, message: `the selection is empty: expected ${EXPECTED}` }] };
    }
    const selection = parser.or(0);
    const rest = parser.peek();
    if (rest.kind === ')') throw new SelectionSyntaxError(rest.offset, 1, `unexpected \`)\` at ${at(rest.offset)}: there is no \`(\` to close`);
    if (rest.kind !== 'end') {
      throw new SelectionSyntaxError(rest.offset, rest.length, `unexpected ${show(rest)} at ${at(rest.offset)}: expected \`and\`, \`or\` or \`,\` between two selections`);
    }
    return { selection, problems: [] };
  } catch (e) {
    if (e instanceof SelectionSyntaxError) return { problems: [{ offset: e.offset, length: e.length, message: e.message }] };
    throw e;
  }
}

class Parser {
  #i = 0;
  constructor(readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.#i]!;
  }

  next(): Token {
    return this.tokens[this.#i++]!;
  }

  or(depth: number): Selection {
    const items = [this.and(depth)];
    while (this.keyword('or') || this.peek().kind === ',') {
      const op = this.next();
      this.expectOperand(op);
      items.push(this.and(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  and(depth: number): Selection {
    const items = [this.not(depth)];
    while (this.keyword('and')) {
      this.expectOperand(this.next());
      items.push(this.not(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  not(depth: number): Selection {
    if (!this.keyword('not')) return this.traversal(depth);
    const op = this.next();
    this.expectOperand(op);
    if (depth >= MAX_NESTING) throw new SelectionSyntaxError(op.offset, op.length, `the selection nests more than ${MAX_NESTING} levels deep at ${at(op.offset)}`);
    return { kind: 'not', selection: this.not(depth + 1) };
  }

  traversal(depth: number): Selection {
    let up: Depth = 0;
    const before = this.peek();
    if (before.kind === 'plus') {
      if (before.side === 'after') {
        throw new SelectionSyntaxError(before.offset, before.length, `unexpected \`${before.depth}\` after \`+\` at ${at(before.offset)}: to select ${before.depth} ${before.depth === 1 ? 'level' : 'levels'} upstream, write \`${before.depth}+name\``);
      }
      this.next();
      up = before.depth ?? 'all';
      this.expectOperand(before);
    }
    const selection = this.primary(depth);
    let down: Depth = 0;
    const after = this.peek();
    if (after.kind === 'plus' && after.side !== 'before') {
      this.next();
      down = after.depth ?? 'all';
    }
    return up === 0 && down === 0 ? selection : { kind: 'traverse', selection, up, down };
  }

  primary(depth: number): Selection {
    const t = this.next();
    switch (t.kind) {
      case '(': {
        if (depth >= MAX_NESTING) throw new SelectionSyntaxError(t.offset, 1, `the selection nests more than ${MAX_NESTING} levels deep at ${at(t.offset)}`);
        this.expectOperand(t);
        const inner = this.or(depth + 1);
        const close = this.next();
        if (close.kind === 'end') throw new SelectionSyntaxError(t.offset, 1, `\`(\` at ${at(t.offset)} is never closed: expected \`)\``);
        if (close.kind !== ')') {
          throw new SelectionSyntaxError(close.offset, close.length, `unexpected ${show(close)} at ${at(close.offset)}: expected \`and\`, \`or\`, \`,\` or the \`)\` closing the \`(\` at ${at(t.offset)}`);
        }
        return inner;
      }
      case 'word':
        return leaf(t);
      case ')':
      case ',':
      case 'plus':
      case 'end':
        throw new SelectionSyntaxError(t.offset, t.length, `unexpected ${show(t)} at ${at(t.offset)}: expected ${EXPECTED}`);
      default: {
        const _exhaustive: never = t;
        return _exhaustive;
      }
    }
  }

  /** After an operator, the selection must go on; say which operator was left without an operand. */
  expectOperand(op: Token): void {
    const t = this.peek();
    if (t.kind === 'end') {
      throw new SelectionSyntaxError(op.offset, op.length, `the selection ends after ${show(op)} at ${at(op.offset)}: expected ${EXPECTED}`);
    }
  }

  keyword(word: 'and' | 'or' | 'not'): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }
}

function show(t: Token): string {
  switch (t.kind) {
    case 'word':
      return `\`${t.text}\``;
    case 'plus':
      return t.depth === undefined ? '`+`' : t.side === 'before' ? `\`${t.depth}+\`` : `\`+${t.depth}\``;
    case 'end':
      return 'the end';
    default:
      return `\`${t.kind}\``;
  }
}

/** A word: `*`, a name, a glob, or `attribute:value`. Names cannot contain `:`, so a colon means an attribute. */
function leaf(t: Extract<Token, { kind: 'word' }>): Selection {
  const { text, offset, length } = t;
  if (['and', 'or', 'not'].includes(text.toLowerCase())) {
    throw new SelectionSyntaxError(offset, length, `unexpected \`${text}\` at ${at(offset)}: expected ${EXPECTED}`);
  }
  if (text === '*') return { kind: 'all', offset, length };
  const colon = text.indexOf(':');
  if (colon < 0) return text.includes('*') ? { kind: 'glob', pattern: text, offset, length } : { kind: 'name', name: text, offset, length };
  const attribute = text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (!ATTRIBUTES.includes(attribute)) {
    const hint = closest(attribute, ATTRIBUTES);
    const known = hint ? `did you mean \`${hint}:\`?` : `expected one of ${ATTRIBUTES.map((a) => `\`${a}:\``).join(', ')}`;
    throw new SelectionSyntaxError(offset, colon + 1, `unknown attribute \`${attribute}:\` at ${at(offset)}: ${known}`);
  }
  if (value === '') {
    throw new SelectionSyntaxError(offset, length, `\`${attribute}:\` at ${at(offset)} needs a value, e.g. \`${attribute}:${EXAMPLES[attribute]}\``);
  }
  switch (attribute) {
    case 'key':
      return value === '*' ? { kind: 'all', offset, length } : value.includes('*') ? { kind: 'glob', pattern: value, offset, length } : { kind: 'name', name: value, offset: offset + colon + 1, length: value.length };
    case 'tag': {
      const eq = value.indexOf('=');
      if (eq === 0) throw new SelectionSyntaxError(offset, length, `\`tag:\` at ${at(offset)} needs a key before \`=\`, e.g. \`tag:layer=bronze\``);
      if (eq === value.length - 1) throw new SelectionSyntaxError(offset, length, `\`${text}\` at ${at(offset)} needs a value after \`=\`, or no \`=\` to match any value of the tag`);
      return eq < 0 ? { kind: 'tag', key: value, offset, length } : { kind: 'tag', key: value.slice(0, eq), value: value.slice(eq + 1), offset, length };
    }
    default:
      return { kind: 'attribute', attribute: attribute as Attribute, value, offset, length };
  }
}

const EXAMPLES: Readonly<Record<string, string>> = {
  group: 'user_events',
  tag: 'layer=bronze',
  owner: 'team:data-eng',
  kind: 'sql',
  key: 'sales.*',
  partitions: 'daily',
};

// ── evaluation ─────────────────────────────────────────────────────────────

/**
 * The asset names a selection matches. Each operator costs at most one pass over the graph; attributes
 * cost one pass per graph (to index them) and then only their matches.
 */
export function evaluateSelection(sel: Selection, graph: SelectionGraph): Set<string> {
  switch (sel.kind) {
    case 'all':
      return new Set(graph.names);
    case 'name':
      return graph.attrs(sel.name) ? new Set([sel.name]) : new Set();
    case 'glob':
      return filter(graph, globMatcher(sel.pattern));
    case 'attribute':
      return lookup(attributeIndex(graph)[sel.attribute], sel.value);
    case 'tag': {
      const tag = attributeIndex(graph).tags.get(sel.key);
      return sel.value === undefined ? new Set(tag?.all) : lookup(tag?.values, sel.value);
    }
    case 'traverse':
      return traverse(evaluateSelection(sel.selection, graph), sel.up, sel.down, graph);
    case 'not': {
      const inner = evaluateSelection(sel.selection, graph);
      return filter(graph, (name) => !inner.has(name));
    }
    case 'and': {
      let result = evaluateSelection(sel.items[0]!, graph);
      for (let i = 1; i < sel.items.length && result.size > 0; i++) {
        const other = evaluateSelection(sel.items[i]!, graph);
        for (const name of result) if (!other.has(name)) result.delete(name);
      }
      return result;
    }
    case 'or': {
      const result = new Set<string>();
      for (const item of sel.items) for (const name of evaluateSelection(item, graph)) result.add(name);
      return result;
    }
    default: {
      const _exhaustive: never = sel;
      return _exhaustive;
    }
  }
}

function filter(graph: SelectionGraph, keep: (name: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const name of graph.names) if (keep(name)) out.add(name);
  return out;
}

// Attribute lookups go through an index built once per graph object, so the many pipelines of a
// large project each pay for their matches, not for a pass over every asset's attributes.
type ValueIndex = Map<string, string[]>;
interface AttributeIndex {
  group: ValueIndex;
  owner: ValueIndex;
  kind: ValueIndex;
  partitions: ValueIndex;
  tags: Map<string, { all: string[]; values: ValueIndex }>;
}

const indexes = new WeakMap<SelectionGraph, AttributeIndex>();

function attributeIndex(graph: SelectionGraph): AttributeIndex {
  let index = indexes.get(graph);
  if (index) return index;
  index = { group: new Map(), owner: new Map(), kind: new Map(), partitions: new Map(), tags: new Map() };
  for (const name of graph.names) {
    const a = graph.attrs(name);
    if (!a) continue;
    if (a.group !== undefined) add(index.group, a.group, name);
    if (a.kind !== undefined) add(index.kind, a.kind, name);
    if (a.partitions !== undefined) add(index.partitions, a.partitions, name);
    for (const owner of a.owners) add(index.owner, owner, name);
    for (const key of Object.keys(a.tags)) {
      let tag = index.tags.get(key);
      if (!tag) index.tags.set(key, (tag = { all: [], values: new Map() }));
      tag.all.push(name);
      add(tag.values, a.tags[key]!, name);
    }
  }
  indexes.set(graph, index);
  return index;
}

function add(index: ValueIndex, value: string, name: string): void {
  const names = index.get(value);
  if (!names) index.set(value, [name]);
  else if (names[names.length - 1] !== name) names.push(name); // an owner listed twice
}

/** The names with a value equal to `pattern`, or matching it as a glob when it has `*` (`group:sales_*`). */
function lookup(index: ValueIndex | undefined, pattern: string): Set<string> {
  if (!index) return new Set();
  if (!pattern.includes('*')) return new Set(index.get(pattern));
  const glob = globMatcher(pattern);
  const out = new Set<string>();
  for (const [value, names] of index) if (glob(value)) for (const n of names) out.add(n);
  return out;
}

/** `*` matches any run of characters (dots included: `sales.*` matches `sales.orders.daily`). */
function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`, 's');
  return (name) => re.test(name);
}

/** The selection plus everything within `up` levels upstream and `down` levels downstream: breadth-first, each name visited once per direction. */
function traverse(start: Set<string>, up: Depth, down: Depth, graph: SelectionGraph): Set<string> {
  const result = new Set(start);
  // The result doubles as the first walk's visited set; a second walk needs its own, or it would stop
  // at a node the first walk reached (`+x+` must go on below a node that is both above and below x).
  if (up !== 0) walk(start, up, (n) => graph.upstream(n), result, result);
  if (down !== 0) walk(start, down, (n) => graph.downstream(n), result, up === 0 ? result : new Set(start));
  return result;
}

/** Breadth-first, level by level so a depth can stop it; `seen` must already hold the starts. */
function walk(start: Set<string>, depth: Depth, next: (name: string) => readonly string[], into: Set<string>, seen: Set<string>): void {
  let frontier = [...start];
  for (let level = 0; frontier.length > 0 && (depth === 'all' || level < depth); level++) {
    const following: string[] = [];
    for (const name of frontier) {
      for (const n of next(name)) {
        if (seen.has(n)) continue;
        seen.add(n);
        into.add(n);
        following.push(n);
      }
    }
    frontier = following;
  }
}

/** Bare names (and `key:` names without `*`) that name no asset, with where they are written. */
export function unknownNames(sel: Selection, graph: SelectionGraph): { name: string; offset: number; length: number }[] {
  const out: { name: string; offset: number; length: number }[] = [];
  const visit = (s: Selection): void => {
    switch (s.kind) {
      case 'name':
        if (!graph.attrs(s.name)) out.push({ name: s.name, offset: s.offset, length: s.length });
        return;
      case 'all':
      case 'glob':
      case 'attribute':
      case 'tag':
        return;
      case 'traverse':
      case 'not':
        return visit(s.selection);
      case 'and':
      case 'or':
        return s.items.forEach(visit);
      default: {
        const _exhaustive: never = s;
        return _exhaustive;
      }
    }
  };
  visit(sel);
  return out;
}
