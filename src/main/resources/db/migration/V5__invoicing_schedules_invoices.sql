create table billing_schedules (
    customer_id   text        primary key references customers (id),
    day_of_month  smallint    not null check (day_of_month between 1 and 28),
    time_zone     text        not null,
    enabled       boolean     not null,
    next_run_at   timestamptz,
    last_run_at   timestamptz,
    updated_at    timestamptz not null
);

create table invoices (
    id                  bigserial     primary key,
    customer_id         text          not null references customers (id),
    period_start        date          not null,
    period_end          date          not null,
    revision            integer       not null default 1,
    previous_invoice_id bigint        references invoices (id),
    status              text          not null check (status in ('AWAITING_APPROVAL', 'APPROVED', 'DENIED', 'DELIVERED')),
    currency            char(3)       not null,
    total               numeric(19,4) not null,
    decided_by          text,
    decided_at          timestamptz,
    reason              text,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    -- At most one invoice per customer, period and revision, whoever triggers the run.
    unique (customer_id, period_start, revision)
);
alter table line_items add constraint line_items_invoice_fk foreign key (invoice_id) references invoices (id);

create table invoice_lines (
    id               bigserial     primary key,
    invoice_id       bigint        not null references invoices (id),
    customer_user_id text          not null,
    user_name        text,
    expense_type     text          not null,
    prior_period     boolean       not null,
    total            numeric(19,4) not null,
    item_count       integer       not null,
    unique (invoice_id, customer_user_id, expense_type, prior_period)
);

-- The line items behind each line, with corrections made on a denied invoice.
create table invoice_line_items (
    invoice_id      bigint        not null references invoices (id),
    line_item_id    bigint        not null references line_items (id),
    invoice_line_id bigint        references invoice_lines (id),
    amount          numeric(19,4) not null,
    excluded        boolean       not null default false,
    correction_reason text,
    primary key (invoice_id, line_item_id)
);

create table approval_tokens (
    id             bigserial   primary key,
    invoice_id     bigint      not null references invoices (id),
    approver_email text        not null,
    token_hash     text        not null unique,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    created_at     timestamptz not null
);
