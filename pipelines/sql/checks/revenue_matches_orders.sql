-- Passes when the day's net revenue equals the sum of its paid orders, to the cent.
select coalesce(r.net_eur, 0) = o.net_eur as passed, r.net_eur as revenue_net_eur, o.net_eur as orders_net_eur
from (select coalesce(sum(amount_eur), 0) as net_eur
      from staging.orders
      where order_date = ${partition.key} and status = 'paid') as o
left join marts.daily_revenue r on r.day = ${partition.key}
