-- Issue 17: a customer's employer policies, and the flags an invoice run puts on the lines that break them.
-- A null policy column means the customer declared no such policy. Amounts are in the customer's currency.
alter table customers
    add column policy_annual_cap_per_employee numeric(19,4) check (policy_annual_cap_per_employee > 0),
    add column policy_allowed_expense_types   text[]
        check (policy_allowed_expense_types <@ array['TUITION', 'MATERIALS', 'TUTORING', 'FEES']
               and cardinality(policy_allowed_expense_types) > 0),
    add column policy_max_per_item            numeric(19,4) check (policy_max_per_item > 0);

-- One row per line and policy it breaks, judged when the invoice (or its revision) is issued, and kept as judged:
-- the policy's limit at that time is stored with it, so a later change of the policy does not rewrite history.
-- year: the calendar year of the service dates counted (ANNUAL_CAP only; 0 otherwise, so it can be part of the key).
create table invoice_line_flags (
    invoice_id      bigint        not null references invoices (id),
    invoice_line_id bigint        not null references invoice_lines (id),
    kind            text          not null check (kind in ('ANNUAL_CAP_EXCEEDED', 'EXPENSE_TYPE_NOT_ALLOWED',
                                                            'ITEM_OVER_MAXIMUM')),
    year            integer       not null default 0,
    amount_over     numeric(19,4) not null check (amount_over >= 0),
    policy_limit    numeric(19,4),
    year_total      numeric(19,4),
    item_count      integer,
    primary key (invoice_line_id, kind, year)
);
create index invoice_line_flags_by_invoice on invoice_line_flags (invoice_id);
