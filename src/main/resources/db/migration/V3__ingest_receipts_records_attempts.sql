-- One row per receipt: a file (SFTP, S3) or a message (webhook call, SQS message).
create table source_files (
    id              bigserial   primary key,
    partner_id      text        not null references partners (id),
    channel         text        not null check (channel in ('SFTP', 'S3', 'WEBHOOK', 'SQS')),
    name            text        not null,
    -- The mapping that reads it (canonical-json for webhook and SQS messages); replays use today's version of it.
    mapping         text        not null,
    -- What makes this receipt the same receipt when a node retries it after a crash
    -- (path + size + modification time for files, message id for messages).
    receipt_key     text        not null,
    size_bytes      bigint      not null,
    sha256          char(64)    not null,
    received_at     timestamptz not null,
    status          text        not null check (status in ('RECEIVED', 'PROCESSING', 'DONE', 'FAILED')),
    failure_reason  text,
    archive_key     text,
    resend_of       bigint      references source_files (id),
    rows_total      integer,
    rows_done       integer     not null default 0,
    -- Resume point after a crash: every row up to this row number is committed with its attempt.
    last_row_number integer     not null default 0,
    lease_owner     text,
    lease_until     timestamptz,
    updated_at      timestamptz not null,
    unique (partner_id, channel, receipt_key)
);
create index source_files_sha on source_files (partner_id, sha256);
create index source_files_status on source_files (status, lease_until);

-- A row or message exactly as sent, one per receipt.
-- The per-row tables (source_records, attempts, line_items) carry no foreign keys: they are written a batch at a time
-- by the ingest pipeline from rows it has just made, and a foreign key check per row costs ~40% of the pipeline's
-- throughput. Their parents (receipts, partners, customers) are never deleted.
create table source_records (
    id              bigserial   primary key,
    source_file_id  bigint      not null,
    partner_id      text        not null,
    row_number      integer     not null,
    external_id     text,
    raw             text        not null,
    received_at     timestamptz not null,
    unique (source_file_id, row_number)
);
create index source_records_key on source_records (partner_id, external_id);

-- Every try to apply a record. run_key tells a replay from an internal retry of the same run,
-- which must not add an attempt.
create table attempts (
    id               bigserial   primary key,
    source_record_id bigint      not null,
    partner_id       text        not null,
    external_id      text,
    channel          text        not null,
    run_key          text        not null,
    outcome          text        not null check (outcome in ('APPLIED', 'DUPLICATE', 'CONFLICT', 'REJECTED', 'ERROR')),
    reason_code      text,
    message          text,
    at               timestamptz not null,
    unique (source_record_id, run_key)
);
create index attempts_partner_time on attempts (partner_id, at);
create index attempts_outcome_time on attempts (outcome, at);

-- Standard Webhooks idempotency: a replayed webhook-id is answered as the first time.
create table webhook_receipts (
    partner_id     text        not null references partners (id),
    webhook_id     text        not null,
    status_code    integer     not null,
    response_body  text        not null, -- exactly as first answered
    received_at    timestamptz not null,
    primary key (partner_id, webhook_id)
);
