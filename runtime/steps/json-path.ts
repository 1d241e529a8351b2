// The small JSONPath of `poll.until.json.path`: `$`, then `.name`, `['name']` and `[index]` steps.
import { StepError } from './step-context.ts';

const STEP = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** The keys a path walks; a path outside the small grammar is the spec's mistake. */
export function parseJsonPath(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw badPath(path);
  const keys: (string | number)[] = [];
  STEP.lastIndex = 1;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(path);
    if (!m || m.index !== at) throw badPath(path);
    keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4] ?? ''));
  }
  return keys;
}

/** The value at `path`, or `found: false` when a step of it does not exist. */
export function readJsonPath(doc: unknown, path: string): { found: boolean; value: unknown } {
  let v = doc;
  for (const key of parseJsonPath(path)) {
    if (typeof key === 'number' ? !Array.isArray(v) || key >= v.length : typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) {
      return { found: false, value: undefined };
    }
    v = (v as Record<string | number, unknown>)[key];
  }
  return { found: true, value: v };
}

function badPath(path: string): StepError {
  return new StepError(`\`${path}\` is not a supported JSON path: write \`$.a.b\`, \`$.items[0].id\` or \`$['a key']\``, { retryable: false });
}
