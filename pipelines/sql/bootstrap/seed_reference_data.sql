-- Reference data the models need before the first run: reference exchange rates and regional revenue targets.
-- Existing rows are kept, so finance's edits survive a re-run.
insert into finance.fx_reference (currency, units_per_eur) values
  ('EUR', 1.000000),
  ('USD', 1.085000),
  ('GBP', 0.855000)
on conflict (currency) do nothing;

insert into finance.revenue_targets (region, target_eur) values
  ('eu-central', 420000.00),
  ('eu-west', 260000.00),
  ('uk', 180000.00),
  ('us-east', 150000.00)
on conflict (region) do nothing;
