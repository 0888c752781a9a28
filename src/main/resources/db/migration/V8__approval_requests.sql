-- An approval request per approver and invoice is also the outbox of its email: the mail sender claims unsent rows
-- (for update skip locked), so several nodes never send one twice and a crash before marking it sent resends the
-- same link (the link is signed from this row, nothing secret is stored).
alter table approval_tokens add column sent_at timestamptz;
alter table approval_tokens add column send_attempts integer not null default 0;
alter table approval_tokens add column last_error text;
alter table approval_tokens add column decision text check (decision in ('APPROVED', 'DENIED'));
create index approval_tokens_unsent on approval_tokens (id) where sent_at is null;
create index approval_tokens_invoice on approval_tokens (invoice_id);
-- The link is an HMAC of this row's id, invoice, approver and expiry under the hub's key: nothing to look up by.
alter table approval_tokens drop column token_hash;
