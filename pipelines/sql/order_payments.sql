-- Each order of the day beside what the payment provider settled for it. A settlement may be in another
-- currency than the order, so both sides are compared in EUR; a cent of rounding is tolerated.
insert into marts.order_payments (order_id, order_date, amount_eur, settled_eur, fee_eur, state)
select o.order_id,
       o.order_date,
       o.amount_eur,
       coalesce(round(s.amount_cents / 100.0 / fx.units_per_eur, 2), 0),
       coalesce(round(s.fee_cents / 100.0 / fx.units_per_eur, 2), 0),
       case
         when o.status <> 'paid' then 'not_payable'
         when s.order_id is null then 'unsettled'
         when abs(s.amount_cents / 100.0 / fx.units_per_eur - o.amount_eur) > 0.01 then 'mismatch'
         else 'settled'
       end
from staging.orders o
left join payments.settlements s on s.order_id = o.order_id
left join finance.fx_reference fx on fx.currency = s.currency
where o.order_date = ${partition.key}
on conflict (order_id) do update
  set amount_eur = excluded.amount_eur, settled_eur = excluded.settled_eur,
      fee_eur = excluded.fee_eur, state = excluded.state
