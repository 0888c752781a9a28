package com.invoicehub.invoicing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The check a run or a re-issue makes before it commits an invoice: its total equals the sum of its lines, the sum of
 * the line items it counts, and the sum of the items billed to it (an item adjusted by a correction counts at its
 * corrected amount); the counts agree; and every item billed to it is counted in exactly one of its lines.
 */
@Component
class InvoiceInvariant {

    private static final Logger log = LoggerFactory.getLogger(InvoiceInvariant.class);

    private final JdbcClient jdbc;

    InvoiceInvariant(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Throws {@link InvoiceDoesNotAddUp} (logged) unless the invoice holds exactly {@code items} items worth {@code total}. */
    void check(long invoiceId, BigDecimal total, long items) {
        Map<String, Object> sums = jdbc.sql("""
                        select i.total,
                               (select coalesce(sum(l.total), 0) from invoice_lines l
                                where l.invoice_id = i.id) as lines_total,
                               (select coalesce(sum(l.item_count), 0) from invoice_lines l
                                where l.invoice_id = i.id) as lines_count,
                               (select coalesce(sum(x.amount), 0) from invoice_line_items x
                                join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = i.id
                                where x.invoice_id = i.id and not x.excluded) as counted_total,
                               (select count(*) from invoice_line_items x
                                join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = i.id
                                where x.invoice_id = i.id and not x.excluded) as counted_count,
                               (select coalesce(sum(case when x.correction_reason is null then li.amount
                                                         else x.amount end), 0)
                                from line_items li
                                left join invoice_line_items x on x.invoice_id = i.id and x.line_item_id = li.id
                                                              and not x.excluded
                                where li.invoice_id = i.id) as items_total,
                               (select count(*) from line_items li where li.invoice_id = i.id) as items_count,
                               (select count(*) from line_items li where li.invoice_id = i.id
                                  and (select count(*) from invoice_line_items x
                                       join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = i.id
                                       where x.invoice_id = i.id and x.line_item_id = li.id
                                         and not x.excluded) <> 1) as items_not_in_one_line
                        from invoices i where i.id = :id""")
                .param("id", invoiceId).query().singleRow();
        List<String> breaches = new ArrayList<>();
        same(breaches, "total", (BigDecimal) sums.get("total"), total);
        same(breaches, "sum of lines", (BigDecimal) sums.get("lines_total"), total);
        same(breaches, "sum of counted line items", (BigDecimal) sums.get("counted_total"), total);
        same(breaches, "sum of items billed", (BigDecimal) sums.get("items_total"), total);
        count(breaches, "items counted by lines", ((Number) sums.get("lines_count")).longValue(), items);
        count(breaches, "line items counted", ((Number) sums.get("counted_count")).longValue(), items);
        count(breaches, "items billed", ((Number) sums.get("items_count")).longValue(), items);
        count(breaches, "items billed but not in exactly one line",
                ((Number) sums.get("items_not_in_one_line")).longValue(), 0);
        if (!breaches.isEmpty()) {
            InvoiceDoesNotAddUp e = new InvoiceDoesNotAddUp(invoiceId, String.join("; ", breaches));
            log.error("{}; nothing of it is committed", e.getMessage());
            throw e;
        }
    }

    private static void same(List<String> breaches, String what, BigDecimal actual, BigDecimal expected) {
        if (actual.compareTo(expected) != 0) {
            breaches.add(what + " " + actual.stripTrailingZeros().toPlainString() + " where "
                    + expected.stripTrailingZeros().toPlainString() + " was billed");
        }
    }

    private static void count(List<String> breaches, String what, long actual, long expected) {
        if (actual != expected) {
            breaches.add(what + " " + actual + " where " + expected + " expected");
        }
    }
}
