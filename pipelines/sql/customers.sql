-- One row per customer over all cleaned orders. Only paid orders count towards lifetime revenue;
-- the home region is the region a customer ordered from most often.
insert into marts.customers (customer_id, first_order_date, last_order_date, orders, lifetime_revenue_eur, home_region)
select customer_id,
       min(order_date),
       max(order_date),
       count(*) filter (where status = 'paid'),
       coalesce(sum(amount_eur) filter (where status = 'paid'), 0),
       mode() within group (order by region)
from staging.orders
group by customer_id
on conflict (customer_id) do update
  set first_order_date = excluded.first_order_date, last_order_date = excluded.last_order_date,
      orders = excluded.orders, lifetime_revenue_eur = excluded.lifetime_revenue_eur,
      home_region = excluded.home_region
