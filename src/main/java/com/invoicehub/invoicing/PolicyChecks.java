package com.invoicehub.invoicing;

import java.math.BigDecimal;
import java.sql.Array;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Flags the lines of a newly issued invoice (a run's, or a re-issued revision's) that break its customer's policies
 * (issue 17), set-based: one statement per declared policy for the whole invoice. The policies are read once, so all
 * flags of an invoice judge it against the same version of them, and the limits are stored with the flags.
 * <p>
 * The annual cap counts, per employee and calendar year of the items' service dates, what the customer's live
 * invoices (any state but DENIED: a denied invoice is replaced by its revision, so it is never counted twice) of
 * earlier billing periods billed, then this invoice's lines: refunds first, then charges from the smallest, so the
 * flag lands on the line(s) that cross the cap, each with the part of it above the cap. The caller holds the
 * customer's invoice-run lock, so no other issue of the same customer changes what is counted meanwhile.
 */
@Component
class PolicyChecks {

    private final JdbcClient jdbc;

    PolicyChecks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void flag(long invoiceId) {
        Map<String, Object> policies = jdbc.sql("""
                        select c.policy_annual_cap_per_employee as cap, c.policy_allowed_expense_types as allowed,
                               c.policy_max_per_item as max_per_item
                        from invoices i join customers c on c.id = i.customer_id where i.id = :invoice""")
                .param("invoice", invoiceId).query().singleRow();
        BigDecimal cap = (BigDecimal) policies.get("cap");
        Object allowed = policies.get("allowed");
        BigDecimal maxPerItem = (BigDecimal) policies.get("max_per_item");
        if (allowed != null) {
            flagTypesNotAllowed(invoiceId, allowed);
        }
        if (maxPerItem != null) {
            flagItemsOverMaximum(invoiceId, maxPerItem);
        }
        if (cap != null) {
            flagAnnualCap(invoiceId, cap);
        }
    }

    /** A line of a type not allowed, when it bills anything (a refund of such a type only lowers the bill). */
    private void flagTypesNotAllowed(long invoiceId, Object allowed) {
        String[] types;
        try {
            types = (String[]) (allowed instanceof Array array ? array.getArray() : allowed);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("allowed expense types unreadable", e);
        }
        jdbc.sql("""
                        insert into invoice_line_flags (invoice_id, invoice_line_id, kind, amount_over)
                        select l.invoice_id, l.id, 'EXPENSE_TYPE_NOT_ALLOWED', l.total
                        from invoice_lines l
                        where l.invoice_id = :invoice and l.total > 0 and not (l.expense_type = any(:allowed))""")
                .param("invoice", invoiceId).param("allowed", types).update();
    }

    /** Per line: how many of its counted items are above the maximum, and by how much in all. */
    private void flagItemsOverMaximum(long invoiceId, BigDecimal maxPerItem) {
        jdbc.sql("""
                        insert into invoice_line_flags (invoice_id, invoice_line_id, kind, amount_over, policy_limit,
                                                        item_count)
                        select :invoice, x.invoice_line_id, 'ITEM_OVER_MAXIMUM', sum(x.amount - :max), :max, count(*)
                        from invoice_line_items x
                        where x.invoice_id = :invoice and not x.excluded and x.amount > :max
                        group by x.invoice_line_id""")
                .param("invoice", invoiceId).param("max", maxPerItem).update();
    }

    private void flagAnnualCap(long invoiceId, BigDecimal cap) {
        jdbc.sql("""
                        with this_invoice as (select customer_id, period_start from invoices where id = :invoice),
                        -- this invoice's lines, each split by the calendar year of its items' service dates
                        portions as (
                            select l.id as line_id, l.customer_user_id, l.expense_type,
                                   extract(year from li.service_date)::int as year, sum(x.amount) as amount
                            from invoice_line_items x
                            join invoice_lines l on l.id = x.invoice_line_id
                            join line_items li on li.id = x.line_item_id
                            where x.invoice_id = :invoice and not x.excluded
                            group by l.id, l.customer_user_id, l.expense_type, extract(year from li.service_date)),
                        -- what the customer's live invoices of earlier periods billed these employees for these years
                        earlier as (
                            select l.customer_user_id, extract(year from li.service_date)::int as year,
                                   sum(x.amount) as amount
                            from this_invoice t
                            join invoices i on i.customer_id = t.customer_id and i.period_start < t.period_start
                                           and i.status <> 'DENIED'
                            join invoice_line_items x on x.invoice_id = i.id and not x.excluded
                            join invoice_lines l on l.id = x.invoice_line_id
                            join line_items li on li.id = x.line_item_id
                            where l.customer_user_id in (select customer_user_id from portions)
                              and li.service_date >= make_date((select min(year) from portions), 1, 1)
                              and li.service_date < make_date((select max(year) from portions) + 1, 1, 1)
                            group by l.customer_user_id, extract(year from li.service_date)),
                        running as (
                            select p.line_id, p.year, p.amount,
                                   coalesce(e.amount, 0) + sum(p.amount) over (
                                       partition by p.customer_user_id, p.year
                                       order by p.amount, p.expense_type, p.line_id) as total_after,
                                   coalesce(e.amount, 0) + sum(p.amount) over (
                                       partition by p.customer_user_id, p.year) as year_total
                            from portions p
                            left join earlier e on e.customer_user_id = p.customer_user_id and e.year = p.year)
                        insert into invoice_line_flags (invoice_id, invoice_line_id, kind, year, amount_over,
                                                        policy_limit, year_total)
                        select :invoice, line_id, 'ANNUAL_CAP_EXCEEDED', year,
                               total_after - greatest(:cap, total_after - amount), :cap, year_total
                        from running
                        where amount > 0 and total_after > :cap""")
                .param("invoice", invoiceId).param("cap", cap).update();
    }
}
