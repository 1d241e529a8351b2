-- Backfills: one row per backfill and one per partition it covers, so progress survives any restart
-- and "retry the failed partitions" is a query. (backfill_id, partition) is the natural key that
-- makes every replayed write an update of the same row.
create table backfills (
  id          text primary key,
  project     text not null,
  pipeline    text not null,
  status      text not null default 'running'
              check (status in ('running', 'paused', 'succeeded', 'failed', 'cancelled')),
  reprocess   text not null check (reprocess in ('missing', 'failed', 'all')),
  parallel    int not null check (parallel >= 1),
  created_at  timestamptz(3) not null default now(),
  finished_at timestamptz(3),
  request     jsonb not null default '{}'
);
create index backfills_created on backfills (created_at desc, id desc);
create index backfills_pipeline on backfills (pipeline, created_at desc, id desc);

create table backfill_partitions (
  backfill_id text not null references backfills (id) on delete cascade,
  partition   text not null,
  -- Order of the partition in the backfill; also the suffix of its deterministic run id.
  position    int not null,
  run_id      text,
  status      text not null default 'pending'
              check (status in ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
  updated_at  timestamptz(3) not null default now(),
  primary key (backfill_id, partition)
);
create index backfill_partitions_status on backfill_partitions (backfill_id, status);
