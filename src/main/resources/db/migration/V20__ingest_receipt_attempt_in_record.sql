-- A receipt's own attempt lives in its source record (issue 13): the outcome, reason and message of the try made
-- when the row was received are columns of the record (its time is received_at, its channel the receipt's, its
-- run 'receipt'), so the pipeline writes two tables per row instead of three. The table keeps only later attempts
-- (replays, sweep retries); the view "attempts" shows every attempt of every record, as the table did.
alter table source_records
    add column outcome     text check (outcome in ('APPLIED', 'DUPLICATE', 'CONFLICT', 'REJECTED', 'ERROR')),
    add column reason_code text,
    add column message     text;

alter table attempts rename to later_attempts;
alter index attempts_errors rename to later_attempts_errors;
alter index attempts_at rename to later_attempts_at;

-- One sequence for records and later attempts: a receipt attempt's id is its record's, a later attempt's comes after
-- it, so the ids of all attempts are unique and in the order the attempts were made.
select setval('source_records_id_seq', greatest(coalesce((select max(id) from source_records), 0),
                                                 coalesce((select max(id) from later_attempts), 0)) + 1);

update source_records r
set outcome = a.outcome, reason_code = a.reason_code, message = a.message
from later_attempts a
where a.source_record_id = r.id and a.run_key = 'receipt';
delete from later_attempts where run_key = 'receipt';

update later_attempts a set id = renumbered.id_now
from (select id, nextval('source_records_id_seq') as id_now from (select id from later_attempts order by id) o) renumbered
where a.id = renumbered.id;
alter table later_attempts alter column id set default nextval('source_records_id_seq');
drop sequence attempts_id_seq;

-- What the attempts index served, for the receipt attempts now in records: the sweep's ERROR look-up, time ranges.
create index source_records_errors on source_records (id) where outcome = 'ERROR';
create index source_records_received_at on source_records using brin (received_at);

create view attempts as
select r.id, r.id as source_record_id, r.partner_id, r.external_id, f.channel, 'receipt'::text as run_key,
       r.outcome, r.reason_code, r.message, r.received_at as at
from source_records r
join source_files f on f.id = r.source_file_id
where r.outcome is not null
union all
select id, source_record_id, partner_id, external_id, channel, run_key, outcome, reason_code, message, at
from later_attempts;
