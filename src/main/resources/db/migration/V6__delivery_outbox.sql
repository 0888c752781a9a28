create table deliveries (
    id              bigserial   primary key,
    invoice_id      bigint      not null references invoices (id),
    channel         text        not null check (channel in ('EMAIL', 'WEBHOOK', 'EDI', 'API')),
    status          text        not null check (status in ('PENDING', 'SENT', 'FAILED')),
    -- Stable across retries so a receiver can dedup (webhook-id, Message-ID, ISA control number).
    message_id      text        not null,
    attempt_count   integer     not null default 0,
    next_attempt_at timestamptz,
    lease_owner     text,
    lease_until     timestamptz,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    unique (invoice_id, channel)
);
create index deliveries_due on deliveries (status, next_attempt_at);

create table delivery_attempts (
    id          bigserial   primary key,
    delivery_id bigint      not null references deliveries (id),
    at          timestamptz not null,
    result      text        not null,
    http_status integer,
    error       text
);

-- X12 interchange control numbers: unique and increasing per customer.
create table edi_control_numbers (
    customer_id  text   primary key references customers (id),
    last_number  bigint not null
);

-- Every artifact sent, archived byte for byte.
create table invoice_artifacts (
    invoice_id  bigint      not null references invoices (id),
    format      text        not null,
    archive_key text        not null,
    sha256      char(64)    not null,
    created_at  timestamptz not null,
    primary key (invoice_id, format)
);
