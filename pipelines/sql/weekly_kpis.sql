-- The KPIs of one ISO week (Monday to Sunday): revenue from daily_revenue, traffic from sessions.
with revenue as (
  select coalesce(sum(net_eur), 0) as net_eur, coalesce(sum(orders), 0) as orders
  from marts.daily_revenue
  where day >= ${partition.start}::date and day < ${partition.end}::date
),
traffic as (
  select count(*) as sessions, count(*) filter (where converted) as converted
  from staging.sessions
  where day >= ${partition.start}::date and day < ${partition.end}::date
)
insert into marts.weekly_kpis (week_start, net_eur, orders, sessions, conversion_rate, avg_order_eur)
select ${partition.start}::date,
       r.net_eur,
       r.orders,
       t.sessions,
       round(t.converted::numeric / nullif(t.sessions, 0), 4),
       round(r.net_eur / nullif(r.orders, 0), 2)
from revenue r, traffic t
on conflict (week_start) do update
  set net_eur = excluded.net_eur, orders = excluded.orders, sessions = excluded.sessions,
      conversion_rate = excluded.conversion_rate, avg_order_eur = excluded.avg_order_eur
