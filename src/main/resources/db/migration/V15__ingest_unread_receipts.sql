-- A file bigger than its channel's limit is recorded (FAILED, with the reason) without being read: its SHA-256 is
-- not known, so it is null for such a receipt and for no other.
alter table source_files alter column sha256 drop not null;
