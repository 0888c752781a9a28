-- A delivery's last error (for ops' failed list), and the X12 control number given to an invoice's interchange.
alter table deliveries add column last_error text;
alter table deliveries add column recipient text;
alter table invoice_artifacts add column content_type text;
alter table invoice_artifacts add column size_bytes bigint;
create index deliveries_invoice on deliveries (invoice_id);
