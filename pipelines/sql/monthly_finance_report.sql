-- One month of revenue in the reporting currency chosen by the finance_reports run (param `currency`),
-- converted at the reference rate. One row per month and currency, so EUR and USD reports can coexist.
with month as (
  select coalesce(sum(gross_eur), 0) as gross_eur, coalesce(sum(refunds_eur), 0) as refunds_eur,
         coalesce(sum(net_eur), 0) as net_eur, coalesce(sum(fees_eur), 0) as fees_eur,
         coalesce(sum(orders), 0) as orders
  from marts.daily_revenue
  where day >= ${partition.start}::date and day < ${partition.end}::date
),
rate as (
  select units_per_eur from finance.fx_reference where currency = ${params.currency}
)
insert into marts.monthly_finance (month_start, currency, gross, refunds, net, fees, orders)
select ${partition.start}::date, ${params.currency},
       round(m.gross_eur * r.units_per_eur, 2), round(m.refunds_eur * r.units_per_eur, 2),
       round(m.net_eur * r.units_per_eur, 2), round(m.fees_eur * r.units_per_eur, 2), m.orders
from month m, rate r
on conflict (month_start, currency) do update
  set gross = excluded.gross, refunds = excluded.refunds, net = excluded.net,
      fees = excluded.fees, orders = excluded.orders
