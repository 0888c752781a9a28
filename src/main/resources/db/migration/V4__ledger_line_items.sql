-- No foreign keys on this per-row table: see source_records (V3).
create table line_items (
    id               bigserial     primary key,
    partner_id       text          not null,
    external_id      text          not null,
    customer_id      text          not null,
    customer_user_id text          not null,
    user_name        text,
    expense_type     text          not null check (expense_type in ('TUITION', 'MATERIALS', 'TUTORING', 'FEES')),
    amount           numeric(19,4) not null,
    currency         char(3)       not null,
    service_date     date          not null,
    description      text,
    -- Hash of the canonical content: same key + same hash is a DUPLICATE, a different hash a CONFLICT.
    content_hash     char(64)      not null,
    source_record_id bigint        not null,
    applied_at       timestamptz   not null,
    invoice_id       bigint,
    unique (partner_id, external_id)
);
create index line_items_uninvoiced on line_items (customer_id, service_date) where invoice_id is null;
