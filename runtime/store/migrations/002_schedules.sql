-- Schedule ticks: one row per time a schedule fired (or was triggered), with the run it started or why not.
-- The natural key (project, schedule, scheduled_at) makes a retried tick activity record once.
create table if not exists schedule_ticks (
  project      text not null,
  schedule     text not null,
  scheduled_at timestamptz(3) not null,
  run_id       text,
  status       text not null check (status in ('started', 'skipped', 'failed')),
  reason       text,
  recorded_at  timestamptz(3) not null default now(),
  primary key (project, schedule, scheduled_at)
);
