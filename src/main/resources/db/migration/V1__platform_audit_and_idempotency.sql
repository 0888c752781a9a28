-- Every change of state, by whom, before and after (CONTRACT §8).
create table audit_events (
    id           bigserial primary key,
    occurred_at  timestamptz not null,
    actor        text        not null,
    action       text        not null,
    entity_type  text        not null,
    entity_id    text        not null,
    before_state jsonb,
    after_state  jsonb
);
create index audit_events_entity on audit_events (entity_type, entity_id, occurred_at);

-- Camel's JDBC idempotent repositories (JdbcOrphanLockAwareIdempotentRepository adds the lock timestamp
-- refresh on createdAt). Made here, never by Camel (createTableIfNotExists=false).
create table camel_messageprocessed (
    processorname varchar(255) not null,
    messageid     varchar(1000) not null,
    createdat     timestamp     not null,
    primary key (processorname, messageid)
);
