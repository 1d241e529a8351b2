-- The funnel of one day, region and channel: sessions → converted sessions → paid orders → revenue.
insert into marts.channel_funnel (day, region, channel, sessions, converted_sessions, orders, revenue_eur)
select ${partition.keys.daily}::date, ${partition.keys.region}::text, ${partition.keys.channel}::text,
       s.sessions, s.converted, o.orders, o.revenue_eur
from (
  select count(*) as sessions, count(*) filter (where converted) as converted
  from staging.sessions
  where day = ${partition.keys.daily}::date and region = ${partition.keys.region} and channel = ${partition.keys.channel}
) as s,
(
  select count(*) as orders, coalesce(sum(amount_eur), 0) as revenue_eur
  from staging.orders
  where order_date = ${partition.keys.daily}::date and region = ${partition.keys.region}
    and channel = ${partition.keys.channel} and status = 'paid'
) as o
on conflict (day, region, channel) do update
  set sessions = excluded.sessions, converted_sessions = excluded.converted_sessions,
      orders = excluded.orders, revenue_eur = excluded.revenue_eur
