-- Declarative automation: the trail of evaluations (`weir why`) and freshness violations.
-- Evaluations are bounded: a row is added only when a decision changes or starts a run; an unchanged
-- decision refreshes the evaluated_at of the latest row of its asset partition.
create table if not exists automation_evaluations (
  id           bigserial primary key,
  project      text not null,
  asset        text not null,
  partition    text not null,
  evaluated_at timestamptz(3) not null default now(),
  action       text not null check (action in ('run', 'skip')),
  reasons      jsonb not null,
  run_id       text
);
create index if not exists automation_evaluations_asset on automation_evaluations (project, asset, partition, id desc);
-- A retried tick activity must not record the same run twice.
create unique index if not exists automation_evaluations_run on automation_evaluations (run_id) where run_id is not null;

-- One open violation per asset partition and level, until the partition is fresh again (resolved_at).
create table if not exists freshness_violations (
  id          bigserial primary key,
  project     text not null,
  asset       text not null,
  partition   text not null,
  level       text not null check (level in ('warn', 'error')),
  lag_ms      bigint,
  detail      text not null,
  detected_at timestamptz(3) not null default now(),
  resolved_at timestamptz(3)
);
create unique index if not exists freshness_violations_open on freshness_violations (project, asset, partition, level) where resolved_at is null;
create index if not exists freshness_violations_recent on freshness_violations (project, detected_at desc);
