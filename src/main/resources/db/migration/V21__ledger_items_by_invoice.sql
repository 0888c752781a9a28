-- The items billed to an invoice, read by the run (its lines), its invariant, corrections and the reconciliation.
-- Without it each invoice read the whole ledger (six scans per invoice: a billing day grew with the ledger, not with
-- the invoices). Partial: an item is applied unbilled, so ingest writes no entry; the claim that bills it does.
create index line_items_invoice on line_items (invoice_id) where invoice_id is not null;
