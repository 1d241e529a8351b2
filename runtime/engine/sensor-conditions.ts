// What a sensor sees on one evaluation: the events since its cursor (each becomes `sensor.*` for rendering the
// run it starts) and the cursor to store afterwards. One function per polled kind; webhook events arrive by call.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import picomatch from 'picomatch';
import type { AssetSensor, FileSensor, HttpSensor, Sensor } from '../spec/generated/types.ts';
import { renderString, type Values } from '../spec/expressions.ts';
import { sendRequest } from '../steps/http-request.ts';
import { readJsonPath } from '../steps/json-path.ts';
import type { Sql } from '../store/db.ts';

export interface SensorEvent {
  /** The event's `sensor.*` values. */
  sensor: Record<string, unknown>;
}

export interface Observation {
  events: SensorEvent[];
  cursor: unknown;
  /** Why nothing happened, for the tick's reason. */
  note?: string;
}

export interface ObserveContext {
  sql: Sql;
  projectRoot: string;
  values: Values;
  signal: AbortSignal;
}

/** Files looked at per evaluation, so a glob over a huge tree stays a short activity. */
const MAX_FILES = 20_000;

export async function observe(ctx: ObserveContext, spec: Sensor, cursor: unknown): Promise<Observation> {
  switch (spec.kind) {
    case 'file':
      return observeFiles(ctx, spec, cursor);
    case 'http':
      return observeHttp(ctx, spec, cursor);
    case 'asset':
      return observeAsset(ctx, spec, cursor);
    case 'webhook':
      // Webhook events are pushed to acceptWebhookEvent; the loop has nothing to poll.
      return { events: [], cursor, note: 'webhook sensors start runs when called' };
    default: {
      const unknown: never = spec;
      throw new Error(`unknown sensor kind ${String((unknown as Sensor).kind)}`);
    }
  }
}

// ── file ────────────────────────────────────────────────────────────────────

type FileCursor = { files: Record<string, string> };

async function observeFiles(ctx: ObserveContext, spec: FileSensor, cursor: unknown): Promise<Observation> {
  const glob = renderString(spec.path, ctx.values).value;
  const absolute = path.isAbsolute(glob) ? glob : path.join(ctx.projectRoot, glob);
  const seen = (cursor as FileCursor | null)?.files ?? {};
  const files: Record<string, string> = {};
  const events: SensorEvent[] = [];
  for (const { file, mtimeMs, size } of await matchingFiles(absolute)) {
    const signature = `${mtimeMs}:${size}`;
    files[file] = signature;
    // New, or changed since the cursor: a key that includes modified_at gets a run per change.
    if (seen[file] !== signature) events.push({ sensor: { path: file, modified_at: new Date(mtimeMs).toISOString(), size } });
  }
  events.sort((a, b) => String(a.sensor.path).localeCompare(String(b.sensor.path)));
  // Files that disappeared drop out of the cursor, which keeps it as small as the folder.
  return { events, cursor: { files } satisfies FileCursor, ...(events.length === 0 ? { note: 'no new or changed files' } : {}) };
}

async function matchingFiles(glob: string): Promise<{ file: string; mtimeMs: number; size: number }[]> {
  const scan = picomatch.scan(glob);
  const statFile = (file: string) => stat(file).then((s) => (s.isFile() ? { file, mtimeMs: Math.trunc(s.mtimeMs), size: s.size } : undefined), () => undefined);
  if (!scan.isGlob) {
    const one = await statFile(glob);
    return one ? [one] : [];
  }
  const isMatch = picomatch(glob, { dot: false });
  const out: { file: string; mtimeMs: number; size: number }[] = [];
  const queue = [scan.base || '/'];
  let seen = 0;
  for (let dir = queue.shift(); dir !== undefined && seen < MAX_FILES; dir = queue.shift()) {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (++seen > MAX_FILES) break;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) queue.push(full);
      else if (entry.isFile() && isMatch(full)) {
        const s = await statFile(full);
        if (s) out.push(s);
      }
    }
  }
  return out;
}

// ── http ────────────────────────────────────────────────────────────────────

type HttpCursor = { status: number; held: boolean };

async function observeHttp(ctx: ObserveContext, spec: HttpSensor, _cursor: unknown): Promise<Observation> {
  const render = (t: string): string => renderString(t, ctx.values).value;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = render(v);
  const response = await sendRequest({ method: spec.method ?? 'GET', url: render(spec.url), headers, timeoutMs: 30_000 }, ctx.signal);
  const until = spec.until;
  let held = until?.status ? until.status.includes(response.status) : response.status >= 200 && response.status < 300;
  if (held && until?.json) {
    const { found, value } = readJsonPath(response.json, until.json.path);
    held = found && isDeepStrictEqual(value, until.json.equals);
  }
  const cursor: HttpCursor = { status: response.status, held };
  if (!held) return { events: [], cursor, note: `condition not met (status ${response.status})` };
  const body = response.json !== undefined ? response.json : response.text;
  return { events: [{ sensor: { status: response.status, body, json: response.json ?? null } }], cursor };
}

// ── asset ───────────────────────────────────────────────────────────────────

type AssetCursor = { lastId: number };

async function observeAsset(ctx: ObserveContext, spec: AssetSensor, cursor: unknown): Promise<Observation> {
  const lastId = (cursor as AssetCursor | null)?.lastId;
  if (lastId === undefined) {
    // A new sensor reacts to what happens from now on, not to the asset's whole history.
    const [row] = await ctx.sql<{ max: number | null }[]>`select max(id)::int8 as max from materializations where asset = ${spec.asset}`;
    return { events: [], cursor: { lastId: row?.max ?? 0 } satisfies AssetCursor, note: 'cursor initialised at the latest materialization' };
  }
  const rows = await ctx.sql<{ id: number; partition: string; runId: string; createdAt: Date }[]>`
    select id, partition, run_id, created_at from materializations
    where asset = ${spec.asset} and id > ${lastId} order by id limit 1000`;
  const wanted = spec.partitions ? picomatch(spec.partitions) : () => true;
  const events = rows
    .filter((r) => wanted(r.partition))
    .map((r) => ({ sensor: { asset: spec.asset, partition: r.partition === '' ? null : r.partition, run_id: r.runId, materialized_at: r.createdAt.toISOString() } }));
  const next: AssetCursor = { lastId: rows.at(-1)?.id ?? lastId };
  return { events, cursor: next, ...(events.length === 0 ? { note: 'no new materializations' } : {}) };
}
