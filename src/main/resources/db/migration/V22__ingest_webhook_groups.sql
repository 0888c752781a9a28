-- Webhook calls share receipts (issue 13): calls of one partner written together are one receipt, and each call's
-- claim says which rows of it are the call's. A call's claim, its records, line items and answer commit in one
-- transaction, so the claim (the primary key) is what makes a repeated or concurrent webhook-id wait and then get
-- the first answer. Calls answered before this change had a receipt of their own: the columns stay null.
alter table webhook_receipts
    add column source_file_id bigint references source_files (id),
    add column first_row      integer,
    add column row_count      integer;

-- A group's receipt has no receipt key: it is never found again by one (it commits whole or not at all), and no
-- webhook-id a partner chooses can ever name it.
alter table source_files alter column receipt_key drop not null;
