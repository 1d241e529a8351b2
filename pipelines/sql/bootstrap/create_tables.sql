-- Schemas and tables of the acme-analytics warehouse. Idempotent: safe to run on every deploy.
-- raw: data as it arrived · staging: cleaned · marts: what dashboards read · finance/payments: reference and provider data.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists marts;
create schema if not exists finance;
create schema if not exists payments;

create table if not exists raw.orders (
  order_id     text primary key,
  order_date   date not null,
  created_at   timestamptz not null,
  customer_id  text not null,
  region       text,
  channel      text,
  currency     text not null,
  amount_cents bigint not null,
  status       text not null,
  loaded_at    timestamptz not null default now()
);
create index if not exists orders_by_date on raw.orders (order_date);

create table if not exists raw.click_events (
  event_id    text primary key,
  occurred_at timestamptz not null,
  session_id  text not null,
  customer_id text,
  region      text,
  channel     text,
  event_type  text not null,
  url         text
);
create index if not exists click_events_by_time on raw.click_events (occurred_at);

-- Written by the payment provider's connector, not by Weir.
create table if not exists payments.settlements (
  order_id     text primary key,
  settled_on   date not null,
  currency     text not null,
  amount_cents bigint not null,
  fee_cents    bigint not null default 0
);

create table if not exists finance.fx_reference (
  currency      text primary key,
  units_per_eur numeric(12, 6) not null
);

create table if not exists finance.revenue_targets (
  region     text primary key,
  target_eur numeric(14, 2) not null
);

create table if not exists staging.orders (
  order_id    text primary key,
  order_date  date not null,
  created_at  timestamptz not null,
  customer_id text not null,
  region      text,
  channel     text,
  status      text not null,
  amount_eur  numeric(12, 2) not null,
  cleaned_at  timestamptz not null default now()
);
create index if not exists staging_orders_by_date on staging.orders (order_date);

create table if not exists staging.sessions (
  session_id  text primary key,
  day         date not null,
  customer_id text,
  region      text,
  channel     text,
  started_at  timestamptz not null,
  ended_at    timestamptz not null,
  events      integer not null,
  page_views  integer not null,
  converted   boolean not null
);
create index if not exists sessions_by_day on staging.sessions (day);

create table if not exists marts.customers (
  customer_id          text primary key,
  first_order_date     date not null,
  last_order_date      date not null,
  orders               integer not null,
  lifetime_revenue_eur numeric(14, 2) not null,
  home_region          text
);

create table if not exists marts.order_payments (
  order_id    text primary key,
  order_date  date not null,
  amount_eur  numeric(12, 2) not null,
  settled_eur numeric(12, 2) not null,
  fee_eur     numeric(12, 2) not null,
  state       text not null check (state in ('settled', 'unsettled', 'mismatch', 'not_payable'))
);
create index if not exists order_payments_by_date on marts.order_payments (order_date);

create table if not exists marts.daily_revenue (
  day              date primary key,
  orders           integer not null,
  customers        integer not null,
  gross_eur        numeric(14, 2) not null,
  refunds_eur      numeric(14, 2) not null,
  net_eur          numeric(14, 2) not null,
  fees_eur         numeric(14, 2) not null,
  unsettled_orders integer not null
);

create table if not exists marts.revenue_7d (
  day          date primary key,
  net_eur_7d   numeric(14, 2) not null,
  orders_7d    integer not null,
  days_present integer not null
);

create table if not exists marts.weekly_kpis (
  week_start      date primary key,
  net_eur         numeric(14, 2) not null,
  orders          integer not null,
  sessions        integer not null,
  conversion_rate numeric(6, 4),
  avg_order_eur   numeric(12, 2)
);

create table if not exists marts.monthly_finance (
  month_start date not null,
  currency    text not null,
  gross       numeric(14, 2) not null,
  refunds     numeric(14, 2) not null,
  net         numeric(14, 2) not null,
  fees        numeric(14, 2) not null,
  orders      integer not null,
  primary key (month_start, currency)
);

create table if not exists marts.customer_ltv (
  customer_id  text primary key,
  orders       integer not null,
  lifetime_eur numeric(14, 2) not null,
  lifetime_usd numeric(14, 2) not null,
  segment      text not null
);

create table if not exists marts.region_targets (
  region             text primary key,
  monthly_target_eur numeric(14, 2) not null,
  daily_target_eur   numeric(14, 2) not null
);

create table if not exists marts.region_sales (
  day              date not null,
  region           text not null,
  net_eur          numeric(14, 2) not null,
  orders           integer not null,
  daily_target_eur numeric(14, 2),
  attainment       numeric(8, 4),
  primary key (day, region)
);

create table if not exists marts.channel_funnel (
  day                date not null,
  region             text not null,
  channel            text not null,
  sessions           integer not null,
  converted_sessions integer not null,
  orders             integer not null,
  revenue_eur        numeric(14, 2) not null,
  primary key (day, region, channel)
);

create table if not exists marts.spring_sale_kpis (
  day                date primary key,
  net_eur            numeric(14, 2) not null,
  orders             integer not null,
  uplift_vs_baseline numeric(8, 4)
);
