-- Pipeline concurrency: the key each run was admitted under, and what admission decided (and why),
-- so "why did this run not start?" has an answer and runs of one key can be counted.
create table run_concurrency (
  run_id     text primary key references runs (id) on delete cascade,
  project    text not null,
  pipeline   text not null,
  key        text not null,
  behavior   text not null check (behavior in ('queue', 'cancel_new', 'cancel_running', 'fail')),
  decision   text not null check (decision in ('started', 'queued', 'cancelled', 'failed')),
  reason     text,
  decided_at timestamptz(3) not null default now()
);
create index run_concurrency_key on run_concurrency (project, pipeline, key);
