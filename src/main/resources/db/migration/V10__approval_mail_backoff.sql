-- An approval mail that could not be sent waits before the next try (exponential back-off), so an SMTP outage of
-- an hour does not use up its tries.
alter table approval_tokens add column next_attempt_at timestamptz;
