-- A run of a receipt that fails for a reason that is neither a busy lease nor an outage is counted here with its
-- reason; after hub.ingest.max-failed-tries the receipt ends FAILED with that reason instead of being tried forever.
alter table source_files add column failed_tries integer not null default 0;
alter table source_files add column last_error text;
