-- The end (exclusive, in the customer's time zone) of the last period a run closed: the next run closes the period
-- after it, so a run missed while the hub was down is caught up once.
alter table billing_schedules add column last_period_end date;

-- Every customer has a schedule (CONTRACT §6); customers made before this migration get theirs here.
insert into billing_schedules (customer_id, day_of_month, time_zone, enabled, updated_at)
select id, invoice_day, time_zone, true, now() from customers
on conflict (customer_id) do nothing;

-- At most one first revision per customer and period end, whoever triggers the run.
create unique index invoices_one_per_period on invoices (customer_id, period_end) where revision = 1;
