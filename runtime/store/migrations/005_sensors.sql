-- Sensors: where each sensor has got to (its cursor), the event keys it has turned into runs (one run per key,
-- ever), and a bounded history of its ticks.
create table if not exists sensor_state (
  project    text not null,
  sensor     text not null,
  cursor     jsonb,
  updated_at timestamptz(3) not null default now(),
  primary key (project, sensor)
);

-- The key is inserted before its run is started: a key without `started_at` is a start that was interrupted and
-- is finished by the next evaluation under the same deterministic run id.
create table if not exists sensor_keys (
  project    text not null,
  sensor     text not null,
  key        text not null,
  run_id     text not null,
  created_at timestamptz(3) not null default now(),
  started_at timestamptz(3),
  primary key (project, sensor, key)
);

create table if not exists sensor_ticks (
  id         bigserial primary key,
  project    text not null,
  sensor     text not null,
  ticked_at  timestamptz(3) not null default now(),
  status     text not null check (status in ('started', 'skipped', 'failed')),
  run_ids    text[] not null default '{}',
  reason     text
);
create index if not exists sensor_ticks_by_sensor on sensor_ticks (project, sensor, id desc);
