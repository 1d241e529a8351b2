// Directed graphs of names (asset lineage, task DAGs): adjacency, cycle detection, ordering, reachability.

export class NameGraph {
  readonly #up = new Map<string, string[]>();
  readonly #down = new Map<string, string[]>();

  constructor(names: Iterable<string>) {
    for (const n of names) {
      this.#up.set(n, []);
      this.#down.set(n, []);
    }
  }

  get names(): string[] {
    return [...this.#up.keys()];
  }

  has(name: string): boolean {
    return this.#up.has(name);
  }

  /** Adds `from → to` (to depends on from). Both ends must be nodes. */
  addEdge(from: string, to: string): void {
    this.#up.get(to)?.push(from);
    this.#down.get(from)?.push(to);
  }

  upstream(name: string): readonly string[] {
    return this.#up.get(name) ?? [];
  }

  downstream(name: string): readonly string[] {
    return this.#down.get(name) ?? [];
  }

  /**
   * Every elementary cycle found by one depth-first search, each as a path that starts and ends
   * with the same name (`a → b → a`), in upstream-to-downstream order. Iterative, so deep chains
   * cannot overflow the stack.
   */
  cycles(): string[][] {
    const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
    const found: string[][] = [];
    for (const start of this.#down.keys()) {
      if (state.has(start)) continue;
      const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
      const onPath: string[] = [start];
      state.set(start, 1);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const children = this.#down.get(top.name)!;
        if (top.next < children.length) {
          const child = children[top.next++]!;
          const s = state.get(child);
          if (s === 1) {
            found.push([...onPath.slice(onPath.indexOf(child)), child]);
          } else if (s === undefined) {
            state.set(child, 1);
            stack.push({ name: child, next: 0 });
            onPath.push(child);
          }
        } else {
          state.set(top.name, 2);
          stack.pop();
          onPath.pop();
        }
      }
    }
    return found;
  }

  /** Names in dependency order (Kahn, FIFO, so the order is deterministic for a given input). Nodes on cycles are left out. */
  order(subset?: ReadonlySet<string>): string[] {
    const inside = (n: string): boolean => !subset || subset.has(n);
    const pending = new Map<string, number>();
    for (const [n, ups] of this.#up) {
      if (inside(n)) pending.set(n, ups.filter(inside).length);
    }
    const out = [...pending].filter(([, c]) => c === 0).map(([n]) => n);
    for (let i = 0; i < out.length; i++) {
      for (const d of this.#down.get(out[i]!)!) {
        const c = pending.get(d);
        if (c === undefined) continue;
        pending.set(d, c - 1);
        if (c === 1) out.push(d);
      }
    }
    return out;
  }

  /** Every name reachable from `starts` following `direction` (the starts themselves excluded). */
  reach(starts: Iterable<string>, direction: 'up' | 'down'): Set<string> {
    const edges = direction === 'up' ? this.#up : this.#down;
    const seen = new Set<string>();
    const queue = [...starts];
    for (let i = 0; i < queue.length; i++) {
      for (const next of edges.get(queue[i]!) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return seen;
  }
}
