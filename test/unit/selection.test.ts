import { describe, expect, it } from 'vitest';
import { evaluateSelection, parseSelection, unknownNames, type AssetAttributes, type Selection, type SelectionGraph } from '../../runtime/spec/selection.ts';

type Node = Partial<AssetAttributes> & { deps?: string[] };

/** A graph from a table of assets and their dependencies. */
function graphOf(nodes: Record<string, Node>): SelectionGraph {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const name of Object.keys(nodes)) {
    up.set(name, []);
    down.set(name, []);
  }
  for (const [name, node] of Object.entries(nodes)) {
    for (const dep of node.deps ?? []) {
      up.get(name)!.push(dep);
      down.get(dep)!.push(name);
    }
  }
  return {
    names: Object.keys(nodes),
    attrs: (name) => {
      const n = Object.hasOwn(nodes, name) ? nodes[name] : undefined;
      return n && { group: n.group, owners: n.owners ?? [], tags: n.tags ?? {}, kind: n.kind, partitions: n.partitions };
    },
    upstream: (name) => up.get(name) ?? [],
    downstream: (name) => down.get(name) ?? [],
  };
}

// raw_events → clean_events → weekly_summary → report ← sales.daily ← sales.orders
const graph = graphOf({
  raw_events: { group: 'user_events', owners: ['team:data-eng'], tags: { layer: 'bronze' }, kind: 'command', partitions: 'daily' },
  clean_events: { group: 'user_events', tags: { layer: 'silver', pii: '' }, kind: 'sql', partitions: 'daily', deps: ['raw_events'] },
  weekly_summary: { group: 'user_events', tags: { layer: 'gold' }, kind: 'sql', partitions: 'weekly', deps: ['clean_events'] },
  report: { owners: ['alice@example.com'], kind: 'node', deps: ['weekly_summary', 'sales.daily'] },
  'sales.orders': { group: 'sales', owners: ['team:data-eng', 'team:sales'], tags: { layer: 'bronze' }, kind: 'sql' },
  'sales.daily': { group: 'sales', tags: { layer: 'gold' }, kind: 'sql', deps: ['sales.orders'] },
});

function parse(text: string): Selection {
  const { selection, problems } = parseSelection(text);
  expect(problems).toEqual([]);
  return selection!;
}

/** The names a selection picks, sorted for comparison. */
const select = (text: string, g: SelectionGraph = graph): string[] => [...evaluateSelection(parse(text), g)].sort();

const problem = (text: string) => {
  const { selection, problems } = parseSelection(text);
  expect(selection).toBeUndefined();
  expect(problems).toHaveLength(1);
  return problems[0]!;
};

describe('parseSelection', () => {
  it('reads a bare name with its offset', () => {
    expect(parse('  raw_events')).toEqual({ kind: 'name', name: 'raw_events', offset: 2, length: 10 });
  });

  it('reads a dotted name as one name', () => {
    expect(parse('sales.orders')).toEqual({ kind: 'name', name: 'sales.orders', offset: 0, length: 12 });
  });

  it('reads a bare name with `*` as a glob', () => {
    expect(parse('sales.*')).toMatchObject({ kind: 'glob', pattern: 'sales.*' });
  });

  it('reads `*` as everything', () => {
    expect(parse('*')).toMatchObject({ kind: 'all' });
  });

  it('reads attributes', () => {
    expect(parse('group:user_events')).toMatchObject({ kind: 'attribute', attribute: 'group', value: 'user_events' });
    expect(parse('kind:sql')).toMatchObject({ kind: 'attribute', attribute: 'kind', value: 'sql' });
    expect(parse('partitions:daily')).toMatchObject({ kind: 'attribute', attribute: 'partitions', value: 'daily' });
  });

  it('keeps colons inside an owner', () => {
    expect(parse('owner:team:data-eng')).toMatchObject({ kind: 'attribute', attribute: 'owner', value: 'team:data-eng' });
  });

  it('reads a tag with and without a value', () => {
    expect(parse('tag:layer=bronze')).toMatchObject({ kind: 'tag', key: 'layer', value: 'bronze' });
    expect(parse('tag:pii')).toEqual({ kind: 'tag', key: 'pii', offset: 0, length: 7 });
  });

  it('reads key: as a name, or a glob when it has `*`', () => {
    expect(parse('key:sales.orders')).toEqual({ kind: 'name', name: 'sales.orders', offset: 4, length: 12 });
    expect(parse('key:sales.*')).toMatchObject({ kind: 'glob', pattern: 'sales.*' });
  });

  it('binds not tighter than and, and and tighter than or', () => {
    expect(parse('a or b and not c')).toEqual({
      kind: 'or',
      items: [
        { kind: 'name', name: 'a', offset: 0, length: 1 },
        {
          kind: 'and',
          items: [
            { kind: 'name', name: 'b', offset: 5, length: 1 },
            { kind: 'not', selection: { kind: 'name', name: 'c', offset: 15, length: 1 } },
          ],
        },
      ],
    });
  });

  it('reads a comma as or', () => {
    expect(parse('a, b or c')).toMatchObject({ kind: 'or', items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
  });

  it('lets parentheses override precedence', () => {
    expect(parse('(a or b) and c')).toMatchObject({ kind: 'and', items: [{ kind: 'or' }, { name: 'c' }] });
  });

  it('reads keywords in any case', () => {
    expect(parse('a OR b And NOT c')).toMatchObject({ kind: 'or', items: [{ name: 'a' }, { kind: 'and' }] });
  });

  it('reads unlimited upstream and downstream traversals', () => {
    expect(parse('+clean_events')).toMatchObject({ kind: 'traverse', up: 'all', down: 0, selection: { name: 'clean_events' } });
    expect(parse('raw_events+')).toMatchObject({ kind: 'traverse', up: 0, down: 'all', selection: { name: 'raw_events' } });
  });

  it('reads depth-limited traversals', () => {
    expect(parse('2+weekly_summary')).toMatchObject({ kind: 'traverse', up: 2, down: 0 });
    expect(parse('weekly_summary+1')).toMatchObject({ kind: 'traverse', up: 0, down: 1 });
    expect(parse('3+x+12')).toMatchObject({ kind: 'traverse', up: 3, down: 12 });
  });

  it('applies traversals to a parenthesised selection', () => {
    expect(parse('+(a or b)+')).toMatchObject({ kind: 'traverse', up: 'all', down: 'all', selection: { kind: 'or' } });
  });

  it('reads digits that run into a name as part of the name', () => {
    expect(parse('+2020_events')).toMatchObject({ kind: 'traverse', up: 'all', selection: { kind: 'name', name: '2020_events' } });
  });
});

describe('parseSelection problems', () => {
  it('rejects an empty selection', () => {
    expect(problem('   ')).toMatchObject({ offset: 0, message: expect.stringContaining('the selection is empty') });
  });

  it('rejects an operator with nothing after it', () => {
    expect(problem('group:sales and')).toEqual({
      offset: 12,
      length: 3,
      message:
        'the selection ends after `and` at character 13: expected an asset name, `*`, an attribute such as `group:<name>` or `tag:<key>=<value>`, `not` or `(`',
    });
  });

  it('rejects two selections without an operator between them', () => {
    expect(problem('raw_events clean_events')).toEqual({
      offset: 11,
      length: 12,
      message: 'unexpected `clean_events` at character 12: expected `and`, `or` or `,` between two selections',
    });
  });

  it('rejects an unclosed parenthesis at its offset', () => {
    expect(problem('a and (b or c')).toEqual({ offset: 6, length: 1, message: '`(` at character 7 is never closed: expected `)`' });
  });

  it('rejects a stray closing parenthesis', () => {
    expect(problem('a or b)')).toEqual({ offset: 6, length: 1, message: 'unexpected `)` at character 7: there is no `(` to close' });
  });

  it('rejects a missing operator inside parentheses', () => {
    expect(problem('(a b)')).toMatchObject({ offset: 3, message: 'unexpected `b` at character 4: expected `and`, `or`, `,` or the `)` closing the `(` at character 1' });
  });

  it('rejects an operator where a selection is expected', () => {
    expect(problem('a or and b')).toMatchObject({ offset: 5, message: expect.stringContaining('unexpected `and` at character 6: expected an asset name') });
  });

  it('rejects an unknown attribute and suggests the nearest', () => {
    expect(problem('grup:sales')).toEqual({ offset: 0, length: 5, message: 'unknown attribute `grup:` at character 1: did you mean `group:`?' });
  });

  it('lists the attributes when none is near', () => {
    expect(problem('colour:red').message).toBe(
      'unknown attribute `colour:` at character 1: expected one of `group:`, `tag:`, `owner:`, `kind:`, `key:`, `partitions:`',
    );
  });

  it('rejects an attribute without a value', () => {
    expect(problem('a or group:')).toEqual({ offset: 5, length: 6, message: '`group:` at character 6 needs a value, e.g. `group:user_events`' });
  });

  it('rejects a tag with an empty key or value', () => {
    expect(problem('tag:=x').message).toContain('needs a key before `=`');
    expect(problem('tag:layer=').message).toContain('needs a value after `=`');
  });

  it('rejects quotes', () => {
    expect(problem('tag:"a b"')).toMatchObject({ offset: 4, message: expect.stringContaining('unexpected quote at character 5') });
  });

  it('rejects a depth written after a leading `+`', () => {
    expect(problem('+2 x').message).toBe('unexpected `2` after `+` at character 1: to select 2 levels upstream, write `2+name`');
  });

  it('rejects a doubled `+`', () => {
    expect(problem('++a')).toMatchObject({ offset: 1, message: expect.stringContaining('unexpected `+` at character 2') });
  });

  it('rejects nesting deeper than it can safely read', () => {
    expect(problem(`${'('.repeat(200)}a${')'.repeat(200)}`).message).toContain('nests more than');
    expect(problem(`${'not '.repeat(200)}a`).message).toContain('nests more than');
  });
});

describe('evaluateSelection', () => {
  it('selects one asset by name', () => {
    expect(select('sales.orders')).toEqual(['sales.orders']);
  });

  it('selects nothing for a name that is not an asset', () => {
    expect(select('nope')).toEqual([]);
  });

  it('selects everything with `*`', () => {
    expect(select('*')).toHaveLength(6);
  });

  it('selects by group', () => {
    expect(select('group:user_events')).toEqual(['clean_events', 'raw_events', 'weekly_summary']);
  });

  it('selects by tag key, whatever its value', () => {
    expect(select('tag:pii')).toEqual(['clean_events']);
  });

  it('selects by tag key and value', () => {
    expect(select('tag:layer=bronze')).toEqual(['raw_events', 'sales.orders']);
  });

  it('selects by one of several owners', () => {
    expect(select('owner:team:data-eng')).toEqual(['raw_events', 'sales.orders']);
    expect(select('owner:alice@example.com')).toEqual(['report']);
  });

  it('selects by step kind', () => {
    expect(select('kind:sql')).toEqual(['clean_events', 'sales.daily', 'sales.orders', 'weekly_summary']);
  });

  it('selects by partition definition', () => {
    expect(select('partitions:daily')).toEqual(['clean_events', 'raw_events']);
  });

  it('selects by a glob on names, dots included', () => {
    expect(select('key:sales.*')).toEqual(['sales.daily', 'sales.orders']);
    expect(select('*_events')).toEqual(['clean_events', 'raw_events']);
  });

  it('matches `*` in an attribute value as a glob', () => {
    expect(select('group:user_*')).toEqual(['clean_events', 'raw_events', 'weekly_summary']);
  });

  it('does not treat glob-free punctuation as a pattern', () => {
    expect(select('sales.order?')).toEqual([]);
  });

  it('selects an asset and everything upstream', () => {
    expect(select('+weekly_summary')).toEqual(['clean_events', 'raw_events', 'weekly_summary']);
  });

  it('selects an asset and a limited number of levels upstream', () => {
    expect(select('1+weekly_summary')).toEqual(['clean_events', 'weekly_summary']);
    expect(select('2+report')).toEqual(['clean_events', 'report', 'sales.daily', 'sales.orders', 'weekly_summary']);
  });

  it('selects an asset and everything downstream', () => {
    expect(select('clean_events+')).toEqual(['clean_events', 'report', 'weekly_summary']);
  });

  it('selects an asset and a limited number of levels downstream', () => {
    expect(select('raw_events+1')).toEqual(['clean_events', 'raw_events']);
  });

  it('selects upstream and downstream together, without the ancestors of descendants', () => {
    expect(select('+weekly_summary+')).toEqual(['clean_events', 'raw_events', 'report', 'weekly_summary']);
  });

  it('walks downstream past an asset the upstream walk already reached', () => {
    const g = graphOf({ a: {}, x: { deps: ['a'] }, c: { deps: ['x'] }, z: { deps: ['x'] } });
    expect(select('+(a, c)+', g)).toEqual(['a', 'c', 'x', 'z']);
  });

  it('traverses from every asset of a parenthesised selection', () => {
    expect(select('(raw_events, sales.orders)+1')).toEqual(['clean_events', 'raw_events', 'sales.daily', 'sales.orders']);
  });

  it('selects the complement with not', () => {
    expect(select('not kind:sql')).toEqual(['raw_events', 'report']);
  });

  it('intersects with and', () => {
    expect(select('group:user_events and kind:sql')).toEqual(['clean_events', 'weekly_summary']);
  });

  it('unites with or', () => {
    expect(select('group:sales or tag:pii')).toEqual(['clean_events', 'sales.daily', 'sales.orders']);
  });

  it('evaluates `a or b and not c` as a or (b and (not c))', () => {
    expect(select('report or group:user_events and not tag:layer=gold')).toEqual(['clean_events', 'raw_events', 'report']);
  });

  it('visits each asset of a diamond once', () => {
    const diamond = graphOf({ a: {}, b: { deps: ['a'] }, c: { deps: ['a'] }, d: { deps: ['b', 'c'] } });
    expect(select('+d', diamond)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stays within a cycle without looping', () => {
    const cyclic = graphOf({ a: { deps: ['b'] }, b: { deps: ['a'] } });
    expect(select('a+', cyclic)).toEqual(['a', 'b']);
  });

  it('walks a chain of ten thousand assets', () => {
    const nodes: Record<string, Node> = {};
    for (let i = 0; i < 10_000; i++) nodes[`a${i}`] = i === 0 ? {} : { deps: [`a${i - 1}`] };
    const chain = graphOf(nodes);
    expect(evaluateSelection(parse('+a9999'), chain).size).toBe(10_000);
    expect(evaluateSelection(parse('a0+5'), chain).size).toBe(6);
  });
});

describe('unknownNames', () => {
  it('reports bare names that are not assets, with their offsets', () => {
    expect(unknownNames(parse('raw_events or raw_evnts and not +nope+'), graph)).toEqual([
      { name: 'raw_evnts', offset: 14, length: 9 },
      { name: 'nope', offset: 33, length: 4 },
    ]);
  });

  it('reports a key: name at the offset of the name', () => {
    expect(unknownNames(parse('key:sales.ordres'), graph)).toEqual([{ name: 'sales.ordres', offset: 4, length: 12 }]);
  });

  it('ignores globs, attributes and known names', () => {
    expect(unknownNames(parse('nothing_* or group:missing or tag:x or report or *'), graph)).toEqual([]);
  });
});
