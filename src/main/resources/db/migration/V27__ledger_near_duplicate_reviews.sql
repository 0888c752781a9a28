-- Near-duplicates across channels (issue 17): an applied item that looks like an earlier one of the same partner,
-- customer and employee (same amount, currency, expense type, service date within hub.review.near-duplicate-days)
-- under another source key waits here until finance confirms it (billed on the next run) or dismisses it (kept,
-- never billed, explained in the reconciliation). One row per flagged item; the claim of an invoice run skips
-- PENDING and DISMISSED ones.
create table line_item_reviews (
    line_item_id bigint primary key references line_items (id),
    duplicate_of bigint not null references line_items (id),
    state text not null check (state in ('PENDING', 'CONFIRMED', 'DISMISSED')),
    flagged_at timestamptz not null,
    decided_by text,
    decided_at timestamptz,
    reason text check (reason is null or length(reason) <= 2000)
);
create index line_item_reviews_pending on line_item_reviews (flagged_at) where state = 'PENDING';

-- The look-up of an item's twins: same customer, employee and amount, then the service date's range.
create index line_items_twins on line_items (customer_id, customer_user_id, amount, service_date);
