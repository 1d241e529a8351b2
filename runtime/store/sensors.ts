// Sensor state: cursors, the keys already turned into runs, and a bounded tick history per sensor.
import { json, type Queryable, type Sql } from './db.ts';

export type SensorTickStatus = 'started' | 'skipped' | 'failed';

export interface SensorStateRow {
  project: string;
  sensor: string;
  cursor: unknown;
  updatedAt: Date;
}

export interface SensorTickRow {
  id: number;
  project: string;
  sensor: string;
  tickedAt: Date;
  status: SensorTickStatus;
  runIds: string[];
  reason: string | null;
}

export interface NewSensorTick {
  project: string;
  sensor: string;
  status: SensorTickStatus;
  runIds: string[];
  reason: string | null;
}

/** Ticks kept per sensor that did something or failed; idle ticks keep only the latest one. */
export const KEPT_TICKS = 100;

export async function getSensorState(sql: Queryable, project: string, sensor: string): Promise<SensorStateRow | undefined> {
  const [row] = await sql<SensorStateRow[]>`select * from sensor_state where project = ${project} and sensor = ${sensor}`;
  return row;
}

export async function listSensorStates(sql: Queryable, project: string): Promise<SensorStateRow[]> {
  return sql<SensorStateRow[]>`select * from sensor_state where project = ${project} order by sensor`;
}

/** Registers a sensor without touching an existing cursor (reconcile does this so removed sensors can be found later). */
export async function ensureSensorState(sql: Queryable, project: string, sensor: string): Promise<void> {
  await sql`insert into sensor_state (project, sensor, cursor) values (${project}, ${sensor}, null) on conflict (project, sensor) do nothing`;
}

export async function saveCursor(sql: Queryable, project: string, sensor: string, cursor: unknown): Promise<void> {
  await sql`
    insert into sensor_state (project, sensor, cursor) values (${project}, ${sensor}, ${json(sql, cursor)})
    on conflict (project, sensor) do update set cursor = excluded.cursor, updated_at = now()`;
}

export async function forgetSensorState(sql: Queryable, project: string, sensor: string): Promise<void> {
  await sql`delete from sensor_state where project = ${project} and sensor = ${sensor}`;
}

/**
 * Claims `key` for `runId`. Returns the run id to start: the new one when this call inserted the key, the stored one
 * when an earlier claim never finished starting its run, or undefined when the key's run was already started.
 */
export async function claimKey(sql: Queryable, project: string, sensor: string, key: string, runId: string): Promise<string | undefined> {
  const [inserted] = await sql<{ runId: string }[]>`
    insert into sensor_keys (project, sensor, key, run_id) values (${project}, ${sensor}, ${key}, ${runId})
    on conflict (project, sensor, key) do nothing
    returning run_id`;
  if (inserted) return inserted.runId;
  const [existing] = await sql<{ runId: string; startedAt: Date | null }[]>`
    select run_id, started_at from sensor_keys where project = ${project} and sensor = ${sensor} and key = ${key}`;
  return existing && existing.startedAt === null ? existing.runId : undefined;
}

export async function markKeyStarted(sql: Queryable, project: string, sensor: string, key: string): Promise<void> {
  await sql`update sensor_keys set started_at = now() where project = ${project} and sensor = ${sensor} and key = ${key} and started_at is null`;
}

/** A key whose run could not be requested at all (bad params): released so a fixed spec can try it again. */
export async function releaseKey(sql: Queryable, project: string, sensor: string, key: string): Promise<void> {
  await sql`delete from sensor_keys where project = ${project} and sensor = ${sensor} and key = ${key} and started_at is null`;
}

export async function keyRun(sql: Queryable, project: string, sensor: string, key: string): Promise<string | undefined> {
  const [row] = await sql<{ runId: string }[]>`select run_id from sensor_keys where project = ${project} and sensor = ${sensor} and key = ${key}`;
  return row?.runId;
}

/** Records a tick and prunes: one idle tick (skipped, no run) is kept, and at most KEPT_TICKS of the others. */
export async function recordSensorTick(sql: Queryable, tick: NewSensorTick): Promise<void> {
  const idle = tick.status === 'skipped' && tick.runIds.length === 0;
  if (idle) await sql`delete from sensor_ticks where project = ${tick.project} and sensor = ${tick.sensor} and status = 'skipped' and run_ids = '{}'`;
  await sql`
    insert into sensor_ticks (project, sensor, status, run_ids, reason)
    values (${tick.project}, ${tick.sensor}, ${tick.status}, ${tick.runIds}, ${tick.reason})`;
  if (!idle) {
    await sql`
      delete from sensor_ticks where project = ${tick.project} and sensor = ${tick.sensor} and id < (
        select min(id) from (select id from sensor_ticks where project = ${tick.project} and sensor = ${tick.sensor}
                             order by id desc limit ${KEPT_TICKS + 1}) newest)`;
  }
}

export async function listSensorTicks(sql: Queryable, project: string, sensor: string, limit = 20): Promise<SensorTickRow[]> {
  return sql<SensorTickRow[]>`
    select * from sensor_ticks where project = ${project} and sensor = ${sensor} order by id desc limit ${limit}`;
}

/**
 * Runs `fn` while holding the sensor's advisory lock on a reserved connection, so two evaluations of one sensor (an
 * activity retried while its first attempt is still running, a webhook redelivered at once) never interleave.
 * `wait: false` gives up at once and returns `{ locked: false }` when someone else holds it.
 */
export async function withSensorLock<T>(sql: Sql, project: string, sensor: string, wait: boolean, fn: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  const reserved = await sql.reserve();
  const name = `weir-sensor/${project}/${sensor}`;
  try {
    if (wait) await reserved`select pg_advisory_lock(hashtextextended(${name}, 0))`;
    else {
      const [row] = await reserved<{ locked: boolean }[]>`select pg_try_advisory_lock(hashtextextended(${name}, 0)) as locked`;
      if (!row?.locked) return { locked: false };
    }
    try {
      return { locked: true, value: await fn() };
    } finally {
      await reserved`select pg_advisory_unlock(hashtextextended(${name}, 0))`;
    }
  } finally {
    reserved.release();
  }
}
