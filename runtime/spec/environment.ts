// Environment overlays (weir.yaml `environments:`): the resources, pools and defaults in force for one environment.
import type { ProjectModel } from './model.ts';
import { isRecord } from './model.ts';
import type { Retry } from './generated/types.ts';

export interface Layer {
  resources: Record<string, Record<string, unknown>>;
  pools: Record<string, { limit: number }>;
  defaults: { retry?: Retry; timeout?: string };
}

/** Resources, pools and defaults after the named environment's overlay; resources merge field by field. */
export function applyEnvironment(model: ProjectModel, environment: string | undefined): Layer {
  const overlay = environment === undefined ? {} : (model.environments[environment] ?? {});
  const resources: Layer['resources'] = {};
  for (const [name, decl] of model.resources) {
    const patch = isRecord(overlay.resources) ? overlay.resources[name] : undefined;
    resources[name] = merge(decl.value as unknown as Record<string, unknown>, isRecord(patch) ? patch : {});
  }
  const pools: Layer['pools'] = {};
  for (const [name, decl] of model.pools) {
    const patch = isRecord(overlay.pools) ? overlay.pools[name] : undefined;
    pools[name] = { limit: isRecord(patch) && typeof patch.limit === 'number' ? patch.limit : decl.value.limit };
  }
  const base = model.defaults;
  const extra = isRecord(overlay.defaults) ? overlay.defaults : {};
  const defaults: Layer['defaults'] = {
    retry: { ...(base.retry ?? {}), ...(isRecord(extra.retry) ? extra.retry : {}) },
    timeout: (typeof extra.timeout === 'string' ? extra.timeout : undefined) ?? base.timeout,
  };
  return { resources, pools, defaults };
}

function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isRecord(v) && isRecord(base[k]) ? merge(base[k] as Record<string, unknown>, v) : v;
  }
  return out;
}
