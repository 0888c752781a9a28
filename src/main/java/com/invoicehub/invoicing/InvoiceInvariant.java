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
                                         and not x.excluded) <> 1) as items_not_in_one_line,
                               (select count(*) from line_items li where li.invoice_id = i.id
                                  and li.currency <> i.currency) as items_in_other_currency,
                               (select count(*) from invoice_lines l
                                left join (select x.invoice_line_id, sum(x.amount) as total, count(*) as items
                                           from invoice_line_items x where x.invoice_id = i.id and not x.excluded
                                           group by x.invoice_line_id) c on c.invoice_line_id = l.id
                                where l.invoice_id = i.id and (l.total <> coalesce(c.total, 0)
                                                               or l.item_count <> coalesce(c.items, 0)))
                                   as lines_not_adding_up,
                               i.currency
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
