// The project model: every named thing of every file in one index, with where it was declared.
// Built after structural validation; semantic checks and the compiler read only this.
import type { KeyPath, Place } from './diagnostics.ts';
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import type { SourceDocument } from './load.ts';
import type {
  Asset,
  PartitionDefinition,
  Pipeline,
  Pool,
  ProjectFile,
  Resource,
  Schedule,
  Sensor,
} from './generated/types.ts';

/** One declaration: its value and where it came from. */
export interface Decl<T> {
  name: string;
  value: T;
  doc: SourceDocument;
  /** Key path of the declaration inside `doc`, e.g. ['assets', 'raw_events']. */
  path: KeyPath;
}

export interface ProjectModel {
  project: string;
  config: SourceDocument | undefined;
  defaults: NonNullable<ProjectFile['defaults']>;
  environments: NonNullable<ProjectFile['environments']>;
  resources: Map<string, Decl<Resource>>;
  pools: Map<string, Decl<Pool>>;
  partitions: Map<string, Decl<PartitionDefinition>>;
  assets: Map<string, Decl<Asset>>;
  pipelines: Map<string, Decl<Pipeline>>;
  schedules: Map<string, Decl<Schedule>>;
  sensors: Map<string, Decl<Sensor>>;
  /** Declarations whose own structure is invalid: their names exist (no knock-on "unknown" errors) but no check reads them. */
  broken: Set<string>;
}

type Section = 'resources' | 'pools' | 'partitions' | 'assets' | 'pipelines' | 'schedules' | 'sensors';
const SECTIONS: readonly Section[] = ['resources', 'pools', 'partitions', 'assets', 'pipelines', 'schedules', 'sensors'];

const SINGULAR: Record<Section, string> = {
  resources: 'resource',
  pools: 'pool',
  partitions: 'partition definition',
  assets: 'asset',
  pipelines: 'pipeline',
  schedules: 'schedule',
  sensors: 'sensor',
};

// Assets, pipelines, schedules and sensors share one namespace so `weir explain <name>` is unambiguous;
// resources, pools and partition definitions each have their own (a pool may share its resource's name).
const SHARED: ReadonlySet<Section> = new Set(['assets', 'pipelines', 'schedules', 'sensors']);

export function brokenKey(section: Section, name: string): string {
  return `${section}\u0000${name}`;
}

/**
 * Indexes the declarations of all documents. `invalid` holds the key paths (as `section\0name`) whose
 * structure failed the schema; they are indexed as broken.
 */
export function buildModel(
  config: SourceDocument | undefined,
  specs: readonly SourceDocument[],
  invalid: ReadonlySet<string>,
): { model: ProjectModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const cfg = (isRecord(config?.value) ? config.value : {}) as Partial<ProjectFile>;
  const model: ProjectModel = {
    project: typeof cfg.project === 'string' ? cfg.project : 'project',
    config,
    defaults: isRecord(cfg.defaults) ? cfg.defaults : {},
    environments: isRecord(cfg.environments) ? cfg.environments : {},
    resources: new Map(),
    pools: new Map(),
    partitions: new Map(),
    assets: new Map(),
    pipelines: new Map(),
    schedules: new Map(),
    sensors: new Map(),
    broken: new Set(),
  };
  const shared = new Map<string, { section: Section; decl: Decl<unknown> }>();
  const docs = config ? [config, ...specs] : specs;
  for (const doc of docs) {
    if (!isRecord(doc.value)) continue;
    for (const section of SECTIONS) {
      const entries = doc.value[section];
      if (!isRecord(entries)) continue;
      const index = model[section] as Map<string, Decl<unknown>>;
      for (const [name, value] of Object.entries(entries)) {
        const decl: Decl<unknown> = { name, value, doc, path: [section, name] };
        const earlier = index.get(name) ?? (SHARED.has(section) ? shared.get(name)?.decl : undefined);
        if (earlier) {
          const what = SINGULAR[section];
          diagnostics.push(
            diagnostic('duplicate-name', { section: what, name, other: describePlace(placeOf(earlier, { key: true })) }, placeOf(decl, { key: true })),
          );
          continue;
        }
        index.set(name, decl);
        if (SHARED.has(section)) shared.set(name, { section, decl });
        if (invalid.has(brokenKey(section, name)) || !isRecord(value)) model.broken.add(brokenKey(section, name));
      }
    }
  }
  return { model, diagnostics };
}

/** The place of a declaration, or of something inside it. */
export function placeOf(decl: Decl<unknown>, opts: { key?: boolean; offset?: number; length?: number } = {}, ...sub: KeyPath): Place {
  return decl.doc.place([...decl.path, ...sub], opts);
}

export function describePlace(p: Place): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/** Iterates the declarations of a section that passed structural validation. */
export function* valid<T>(model: ProjectModel, section: Section): Iterable<Decl<T>> {
  for (const decl of (model[section] as Map<string, Decl<T>>).values()) {
    if (!model.broken.has(brokenKey(section, decl.name))) yield decl;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
