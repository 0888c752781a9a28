package com.invoicehub.invoicing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.shared.Money;

/**
 * The check a run or a re-issue makes before it commits an invoice: its total equals the sum of its lines, the sum of
 * the line items it counts, and the sum of the items billed to it (an item adjusted by a correction counts at its
 * corrected amount); each line's total and count are those of its own line items; the counts agree; every item
 * billed to it is counted in exactly one of its lines and is in its currency.
 */
@Component
class InvoiceInvariant {

    private static final Logger log = LoggerFactory.getLogger(InvoiceInvariant.class);

    private final JdbcClient jdbc;

    InvoiceInvariant(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Throws {@link InvoiceDoesNotAddUp} (logged) unless the invoice holds exactly {@code items} items, all in its
     * currency, worth {@code billed}.
     */
    void check(long invoiceId, Money billed, long items) {
        BigDecimal total = billed.amount();
        // Each table read once (the CTEs are materialized), then every sum and count from those rows.
        Map<String, Object> sums = jdbc.sql("""
                        with billed as (select id, amount, currency from line_items where invoice_id = :id),
                        counted as (select x.line_item_id, x.invoice_line_id, x.amount, x.correction_reason
                                    from invoice_line_items x
                                    join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = :id
                                    where x.invoice_id = :id and not x.excluded),
                        lines as (select id, total, item_count from invoice_lines where invoice_id = :id),
                        per_line as (select invoice_line_id, sum(amount) as total, count(*) as items
                                     from counted group by invoice_line_id),
                        per_item as (select line_item_id, count(*) as n from counted group by line_item_id)
                        select i.total, i.currency,
                               (select coalesce(sum(total), 0) from lines) as lines_total,
                               (select coalesce(sum(item_count), 0) from lines) as lines_count,
                               (select coalesce(sum(amount), 0) from counted) as counted_total,
                               (select count(*) from counted) as counted_count,
                               (select coalesce(sum(case when c.correction_reason is null then b.amount
                                                         else c.amount end), 0)
                                from billed b left join counted c on c.line_item_id = b.id) as items_total,
                               (select count(*) from billed) as items_count,
                               (select count(*) from billed b left join per_item p on p.line_item_id = b.id
                                where coalesce(p.n, 0) <> 1) as items_not_in_one_line,
                               (select count(*) from billed b where b.currency <> i.currency)
                                   as items_in_other_currency,
                               (select count(*) from lines l left join per_line c on c.invoice_line_id = l.id
                                where l.total <> coalesce(c.total, 0) or l.item_count <> coalesce(c.items, 0))
                                   as lines_not_adding_up
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
        count(breaches, "lines whose total or count is not that of their own line items",
                ((Number) sums.get("lines_not_adding_up")).longValue(), 0);
        count(breaches, "items billed in another currency than the invoice's",
                ((Number) sums.get("items_in_other_currency")).longValue(), 0);
        if (!billed.currency().getCurrencyCode().equals(((String) sums.get("currency")).trim())) {
            breaches.add("billed in " + billed.currency() + " but the invoice is in " + sums.get("currency"));
        }
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
