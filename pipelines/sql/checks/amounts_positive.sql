-- Passes when no paid order of the day has a zero or negative EUR amount; reports how many do.
select count(*) = 0 as passed, count(*) as offending_orders
from staging.orders
where order_date = ${partition.key} and status = 'paid' and amount_eur <= 0
