-- Indexes the ingest pipeline pays for on every row, trimmed to what the hub reads (see BatchApplier).
-- No query looks a source record up by its key: the ledger's unique (partner_id, external_id) answers that.
drop index source_records_key;

-- Attempts are read by record (the unique index), by id (paging), for ERROR (the sweep) and by time range (reports):
-- a partial index holds the few ERROR attempts, and a BRIN index on the append-ordered time serves the ranges for a
-- fraction of a B-tree's upkeep.
drop index attempts_partner_time;
drop index attempts_outcome_time;
create index attempts_errors on attempts (source_record_id) where outcome = 'ERROR';
create index attempts_at on attempts using brin (at);
