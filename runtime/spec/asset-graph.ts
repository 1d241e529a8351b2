// The asset lineage of a project model, and its view for evaluating asset selections.
import { NameGraph } from './graph.ts';
import type { ProjectModel } from './model.ts';
import type { SelectionGraph } from './selection.ts';

export function dependencyName(dep: string | { asset: string }): string {
  return typeof dep === 'string' ? dep : dep.asset;
}

/** Lineage over every declared asset; edges only for dependencies that name a declared asset. */
export function buildAssetGraph(model: ProjectModel): NameGraph {
  const graph = new NameGraph(model.assets.keys());
  for (const decl of model.assets.values()) {
    const deps = Array.isArray(decl.value?.deps) ? decl.value.deps : [];
    for (const dep of deps) {
      const name = dependencyName(dep);
      if (typeof name === 'string' && graph.has(name)) graph.addEdge(name, decl.name);
    }
  }
  return graph;
}

export function selectionGraph(model: ProjectModel, graph: NameGraph): SelectionGraph {
  const names = graph.names;
  return {
    names,
    attrs(name) {
      const asset = model.assets.get(name)?.value;
      if (!asset) return undefined;
      return {
        group: asset.group,
        owners: asset.owners ?? [],
        tags: asset.tags ?? {},
        kind: asset.step?.kind,
        partitions: typeof asset.partitions === 'string' ? asset.partitions : undefined,
      };
    },
    upstream: (name) => graph.upstream(name),
    downstream: (name) => graph.downstream(name),
  };
}
