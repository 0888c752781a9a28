-- Each record with its latest attempt (issue 14): the one definition of "latest attempt per record" that the results
-- files, look-ups, replays, the sweep and the reports read. A record's receipt attempt is in the record (V20), a
-- later one in later_attempts; the latest is the later attempt with the highest id, else the receipt attempt. A
-- record with no attempt yet (its batch not written) has a null outcome. Predicates on the record's columns reach
-- source_records' indexes (the view is inlined), and the lateral look-up uses later_attempts' index per record.
create view latest_attempts as
select r.id as source_record_id, r.source_file_id, r.partner_id, r.row_number, r.external_id, r.received_at,
       coalesce(l.id, case when r.outcome is not null then r.id end) as attempt_id,
       coalesce(l.outcome, r.outcome) as outcome,
       case when l.id is null then r.reason_code else l.reason_code end as reason_code,
       case when l.id is null then r.message else l.message end as message,
       case when l.id is null then case when r.outcome is not null then r.received_at end else l.at end as at
from source_records r
left join lateral (select a.id, a.outcome, a.reason_code, a.message, a.at from later_attempts a
                   where a.source_record_id = r.id order by a.id desc limit 1) l on true;
