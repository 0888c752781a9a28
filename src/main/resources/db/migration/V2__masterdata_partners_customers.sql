create table partners (
    id                   text        primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name                 text        not null,
    type                 text        not null check (type in ('UNIVERSITY', 'BUSINESS', 'NONPROFIT')),
    contact_email        text        not null,
    -- SHA-256 of the API key: keys are long random values, so a fast hash is enough and allows look-up.
    api_key_hash         text        not null unique,
    -- Encrypted (AES-GCM): the hub needs the plain secret to verify webhook signatures.
    signing_secret_enc   text        not null,
    -- bcrypt: only ever verified, never used by the hub.
    sftp_password_hash   text        not null,
    sftp_public_key      text,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    credentials_rotated_at timestamptz not null
);

create table customers (
    id                  text        primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name                text        not null,
    type                text        not null check (type in ('CORPORATION', 'PRIVATE', 'NONPROFIT')),
    currency            char(3)     not null,
    time_zone           text        not null,
    invoice_day         smallint    not null check (invoice_day between 1 and 28),
    approver_emails     text[]      not null,
    billing_emails      text[]      not null,
    deliver_by_email    boolean     not null,
    webhook_url         text,
    webhook_enabled     boolean     not null default true,
    edi_host            text,
    edi_port            integer,
    edi_user            text,
    edi_password_enc    text,
    edi_folder          text,
    edi_sender_id       text,
    edi_receiver_id     text,
    api_key_hash        text        not null unique,
    webhook_secret_enc  text        not null,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

-- Customer users are owned by the customers' systems; the hub learns them from applied line items.
create table customer_users (
    customer_id   text        not null references customers (id),
    id            text        not null,
    name          text,
    first_seen_at timestamptz not null,
    updated_at    timestamptz not null,
    primary key (customer_id, id)
);
