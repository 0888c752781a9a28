-- Approval mails are claimed like deliveries: a node takes a lease on the rows it sends, sends outside any
-- transaction (no row lock is held while the mail server answers), then records the try while the lease is its own.
alter table approval_tokens add column lease_owner text;
alter table approval_tokens add column lease_until timestamptz;
