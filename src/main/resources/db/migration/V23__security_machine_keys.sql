-- API keys for ops' and finance's machine clients (issue 13): a script triggering schedules or reading reports does
-- not pay BCrypt on every call. Only the key's SHA-256 is kept; the key is shown once, when made. A revoked key stays
-- listed (who made it, when it was revoked) and never authenticates again.
create table machine_keys (
    id          bigserial   primary key,
    name        text        not null unique,
    role        text        not null check (role in ('OPS', 'FINANCE')),
    key_hash    char(64)    not null unique,
    created_by  text        not null,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
