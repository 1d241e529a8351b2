-- Revenue of one day in EUR. Gross counts paid and later-refunded orders (money that came in);
-- net subtracts the refunds; cancelled orders never count.
insert into marts.daily_revenue (day, orders, customers, gross_eur, refunds_eur, net_eur, fees_eur, unsettled_orders)
select ${partition.key}::date,
       count(*) filter (where o.status = 'paid'),
       count(distinct o.customer_id) filter (where o.status = 'paid'),
       coalesce(sum(o.amount_eur) filter (where o.status in ('paid', 'refunded')), 0),
       coalesce(sum(o.amount_eur) filter (where o.status = 'refunded'), 0),
       coalesce(sum(o.amount_eur) filter (where o.status = 'paid'), 0),
       coalesce(sum(p.fee_eur), 0),
       count(*) filter (where p.state = 'unsettled')
from staging.orders o
left join marts.order_payments p on p.order_id = o.order_id
where o.order_date = ${partition.key}
on conflict (day) do update
  set orders = excluded.orders, customers = excluded.customers, gross_eur = excluded.gross_eur,
      refunds_eur = excluded.refunds_eur, net_eur = excluded.net_eur, fees_eur = excluded.fees_eur,
      unsettled_orders = excluded.unsettled_orders
