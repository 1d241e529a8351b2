-- One day of cleaned orders: test accounts dropped, amounts converted to EUR at the reference rates.
-- Re-running a day overwrites its rows, so late status changes (refunds, cancellations) are picked up.
insert into staging.orders (order_id, order_date, created_at, customer_id, region, channel, status, amount_eur)
select r.order_id, r.order_date, r.created_at, r.customer_id, r.region, r.channel, r.status,
       round(r.amount_cents / 100.0 / fx.units_per_eur, 2)
from raw.orders r
join finance.fx_reference fx on fx.currency = r.currency
where r.order_date = ${partition.key}
  and r.customer_id not like 'test-%'
on conflict (order_id) do update
  set status = excluded.status, amount_eur = excluded.amount_eur, region = excluded.region,
      channel = excluded.channel, cleaned_at = now()
