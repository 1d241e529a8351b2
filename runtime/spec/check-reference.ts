// What each root of a `${…}` reference may name, and where: the rules behind `checkTemplate`.
import type { Reference, Scope } from './expressions.ts';
import { closest } from './suggest.ts';

type RootCheck = (ref: Reference, scope: Scope) => string | undefined;

const ROOTS = new Map<string, RootCheck>([
  ['partition', checkPartition],
  ['params', checkParams],
  ['steps', checkSteps],
  ['env', checkVariable],
  ['secret', checkVariable],
  ['run', (ref) => fields(ref, RUN_FIELDS, (names) => `\`run\` has ${list(names, 'and')}`)],
  ['sensor', checkSensor],
  ['schedule', checkSchedule],
]);

const RUN_FIELDS: FieldTable = { id: 'leaf', pipeline: 'leaf', started_at: 'leaf' };
const SCHEDULE_FIELDS: FieldTable = { scheduled_at: 'leaf', name: 'leaf' };
const PARTITION_FIELDS = ['key', 'start', 'end', 'keys'];

/** What a field holds: one value, any JSON below it, or exactly one named entry (`sensor.headers.<h>`). */
type FieldShape = 'leaf' | 'any' | 'one';
type FieldTable = Readonly<Record<string, FieldShape>>;

const SENSOR_FIELDS: Record<NonNullable<Scope['sensor']>, FieldTable> = {
  file: { path: 'leaf', modified_at: 'leaf' },
  http: { status: 'leaf', body: 'any' },
  asset: { asset: 'leaf', partition: 'leaf' },
  webhook: { body: 'any', headers: 'one' },
};

/** The detail for `expression-unknown` when `ref` names nothing that exists in `scope`, else undefined. */
export function checkReference(ref: Reference, scope: Scope): string | undefined {
  const check = ROOTS.get(ref.root);
  if (check) return check(ref, scope);
  const hint = closest(ref.root, ROOTS.keys());
  return hint
    ? `refers to \`${ref.root}\`, which expressions cannot read; did you mean \`${hint}\`?`
    : `refers to \`${ref.root}\`, which expressions cannot read; a reference starts with ${list([...ROOTS.keys()], 'or')}`;
}

function checkPartition(ref: Reference, scope: Scope): string | undefined {
  const p = scope.partition;
  if (!p) return notPartitioned(scope);
  const [field, dim, ...rest] = ref.path;
  if (field === undefined) return `needs a field: write ${list(PARTITION_FIELDS.map((f) => `partition.${f}`), 'or')}`;
  if (field === 'keys') {
    if (!p.dimensions) return `is only available for multi-dimensional partitions; ${where(scope)} has one dimension, so use \`partition.key\``;
    if (dim === undefined) return `needs a dimension: write \`partition.keys.<dimension>\` with one of ${list(p.dimensions, 'or')}`;
    if (!p.dimensions.includes(dim)) {
      return `refers to dimension \`${dim}\`, which the partitions of ${where(scope)} do not have${suggest(dim, p.dimensions) || `; they have ${list(p.dimensions, 'and')}`}`;
    }
    return rest.length > 0 ? singleValue(`partition.keys.${dim}`, rest[0]!) : undefined;
  }
  if (!PARTITION_FIELDS.includes(field)) return unknownField('partition', field, PARTITION_FIELDS, `\`partition\` has ${list(PARTITION_FIELDS, 'and')}`);
  if ((field === 'start' || field === 'end') && !p.time) {
    return `is only available for time partitions; the partitions of ${where(scope)} are not time-based${p.dimensions ? ' in any dimension' : ''}`;
  }
  return dim !== undefined ? singleValue(`partition.${field}`, dim) : undefined;
}

function notPartitioned(scope: Scope): string {
  switch (kindOf(scope)) {
    case 'asset':
      return `is only available where the asset is partitioned; ${where(scope)} has no partitions`;
    case 'task':
      return `is only available where the pipeline is partitioned; the pipeline of ${where(scope)} has no partitions`;
    case 'pipeline':
      return `is only available where the pipeline is partitioned; ${where(scope)} has no partitions`;
    default:
      return `is only available inside a partitioned asset or pipeline, not in ${where(scope)}`;
  }
}

function checkParams(ref: Reference, scope: Scope): string | undefined {
  const kind = kindOf(scope);
  const [name, below] = ref.path;
  if (scope.params === undefined && kind !== 'asset' && kind !== 'task' && kind !== 'pipeline') {
    return `is only available inside a pipeline, its tasks and the assets it selects, not in ${where(scope)}`;
  }
  const params = scope.params ?? new Set<string>();
  if (name === undefined) return `needs a param name: write \`params.<name>\`${params.size > 0 ? ` with one of ${list([...params], 'or')}` : ''}`;
  if (!params.has(name)) {
    const owner =
      kind === 'asset'
        ? `is not declared by every pipeline that selects ${where(scope)}`
        : kind === 'task'
          ? `the pipeline of ${where(scope)} does not declare`
          : `${where(scope)} does not declare`;
    return `refers to param \`${name}\`, which ${owner}${suggest(name, params)}`;
  }
  return below !== undefined ? singleValue(`params.${name}`, below) : undefined;
}

function checkSteps(ref: Reference, scope: Scope): string | undefined {
  const kind = kindOf(scope);
  const noun = kind === 'asset' ? 'asset' : 'task';
  const [task, outputs, name] = ref.path;
  if (!scope.knownTasks) return `is only available inside tasks and assets, which can read the outputs of steps upstream; not in ${where(scope)}`;
  if (task === undefined) return `needs a ${noun} and an output: write \`steps.<${noun}>.outputs.<name>\``;
  if (!scope.knownTasks.has(task)) return `refers to ${noun} \`${task}\`, which does not exist${suggest(task, scope.knownTasks)}`;
  if (task === scope.currentTask) return `refers to ${noun} \`${task}\` itself: a step cannot read its own outputs`;
  if (!scope.upstreamTasks?.has(task)) {
    const current = scope.currentTask === undefined ? where(scope) : `\`${scope.currentTask}\``;
    return `refers to ${noun} \`${task}\`, which is not upstream of ${current}; add it to \`${kind === 'asset' ? 'deps' : 'needs'}\``;
  }
  if (outputs !== 'outputs') return `is not a step output: write \`steps.${task}.outputs.<name>\``;
  if (name === undefined) return `needs an output name: write \`steps.${task}.outputs.<name>\``;
  return undefined;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkVariable(ref: Reference): string | undefined {
  const [name, below] = ref.path;
  const example = ref.root === 'env' ? 'env.WAREHOUSE_URL' : 'secret.EVENTS_TOKEN';
  if (name === undefined) return `needs a variable name: write \`${example}\``;
  if (!VARIABLE.test(name)) return `names \`${name}\`, which is not a variable name: use letters, digits and \`_\`, not starting with a digit`;
  return below !== undefined ? singleValue(`${ref.root}.${name}`, below) : undefined;
}

function checkSensor(ref: Reference, scope: Scope): string | undefined {
  if (!scope.sensor) return `is only available inside a sensor's \`start\`, not in ${where(scope)}`;
  const kind = scope.sensor;
  return fields(ref, SENSOR_FIELDS[kind], (names) => `a \`${kind}\` sensor provides ${list(names, 'and')}`);
}

function checkSchedule(ref: Reference, scope: Scope): string | undefined {
  if (!scope.schedule) return `is only available inside a schedule, not in ${where(scope)}`;
  return fields(ref, SCHEDULE_FIELDS, (names) => `\`schedule\` has ${list(names, 'and')}`);
}

/** Checks `root.field…` against a table of fields; `has` says which fields there are, for messages. */
function fields(ref: Reference, table: FieldTable, has: (names: readonly string[]) => string): string | undefined {
  const names = Object.keys(table);
  const [field, below, further] = ref.path;
  if (field === undefined) return `needs a field: ${has(names)}`;
  const shape = Object.hasOwn(table, field) ? table[field] : undefined;
  if (shape === undefined) return unknownField(ref.root, field, names, has(names));
  switch (shape) {
    case 'leaf':
      return below === undefined ? undefined : singleValue(`${ref.root}.${field}`, below);
    case 'any':
      return undefined;
    case 'one':
      if (below === undefined) return `needs a name: write \`${ref.root}.${field}.<name>\``;
      return further === undefined ? undefined : singleValue(`${ref.root}.${field}.${below}`, further);
    default: {
      const _exhaustive: never = shape;
      return _exhaustive;
    }
  }
}

function unknownField(root: string, field: string, names: readonly string[], has: string): string {
  return `refers to unknown field \`${field}\` of \`${root}\`; ${has}${suggest(field, names)}`;
}

function singleValue(prefix: string, field: string): string {
  return `goes below \`${prefix}\`, which is a single value and has no field \`${field}\``;
}

function suggest(name: string, candidates: Iterable<string>): string {
  const hint = closest(name, candidates);
  return hint ? `; did you mean \`${hint}\`?` : '';
}

function list(items: readonly string[], conjunction: 'and' | 'or'): string {
  const quoted = items.map((i) => `\`${i}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

const where = (scope: Scope): string => scope.where ?? 'this place';
const kindOf = (scope: Scope): string => scope.where?.split(' ', 1)[0] ?? '';
