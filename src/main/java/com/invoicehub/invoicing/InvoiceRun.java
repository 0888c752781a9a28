package com.invoicehub.invoicing;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.ledger.Ledger;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.shared.Money;

/**
 * Closes one customer's billing period: every applied, not yet invoiced line item with a service date before the
 * period's end becomes part of one invoice (lines per customer user and expense type; items from before the period
 * marked prior-period), awaiting approval. At most one invoice per customer and period however many nodes or
 * triggers run at once: a transaction-scoped advisory lock per customer, and a unique key behind it.
 * The run claims its items once ({@code UPDATE ... RETURNING}) and builds lines and total from that set alone; before
 * commit {@link InvoiceInvariant} checks total = sum of lines = sum of items, or the whole run is rolled back.
 */
@Service
public class InvoiceRun {

    /** What a run did: the invoice it made (or found already made), or why there is none. */
    public record Result(String customerId, BillingPeriod period, Long invoiceId, boolean created, String message) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final InvoiceInvariant invariant;
    private final Ledger ledger;
    private final PolicyChecks policies;

    InvoiceRun(JdbcClient jdbc, AuditLog audit, Clock clock, ApplicationEventPublisher events,
               InvoiceInvariant invariant, Ledger ledger, PolicyChecks policies) {
        this.jdbc = jdbc;
        this.policies = policies;
        this.ledger = ledger;
        this.invariant = invariant;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    public Result close(String customerId, BillingPeriod period) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('invoice-run'), hashtext(:customer))")
                .param("customer", customerId).query(Object.class).single();
        Optional<Long> existing = jdbc.sql("select id from invoices where customer_id = :c and period_end = :end "
                        + "and revision = 1")
                .param("c", customerId).param("end", Date.valueOf(period.end())).query(Long.class).optional();
        if (existing.isPresent()) {
            return new Result(customerId, period, existing.get(), false, "already invoiced");
        }
        Instant now = clock.instant();
        Currency currency = Currency.getInstance(jdbc.sql("select currency from customers where id = :c")
                .param("c", customerId).query(String.class).single().trim());
        markClosed(customerId, period, now);
        long invoiceId = jdbc.sql("""
                        insert into invoices (customer_id, period_start, period_end, revision, status, currency, total,
                                              created_at, updated_at)
                        values (:c, :start, :end, 1, :status, :currency, 0, :now, :now)
                        returning id""")
                .param("c", customerId).param("start", Date.valueOf(period.start()))
                .param("end", Date.valueOf(period.end())).param("status", InvoiceStatus.AWAITING_APPROVAL.name())
                .param("currency", currency.getCurrencyCode())
                .param("now", Timestamp.from(now))
                .query(Long.class).single();
        // The claim: the one read of unbilled items. From here on the invoice's items are the rows billed to it (no
        // other transaction can bill an item to an invoice it cannot see), so an item committed meanwhile waits for
        // the next run instead of landing in some of the sums and not in others. Only items in the invoice's currency
        // are billed: an item in another is never relabelled (the ingest refuses it, the reconciliation lists it).
        List<Money> claimed = ledger.claimUnbilled(customerId, period.end(), currency, invoiceId);
        int items = claimed.size();
        if (items == 0) {
            jdbc.sql("delete from invoices where id = :invoice").param("invoice", invoiceId).update();
            return new Result(customerId, period, null, false, "nothing to bill");
        }
        Money total = claimed.stream().reduce(Money.zero(currency), Money::plus);
        jdbc.sql("update invoices set total = :total where id = :invoice")
                .param("total", total.amount()).param("invoice", invoiceId).update();
        jdbc.sql("""
                        insert into invoice_lines (invoice_id, customer_user_id, user_name, expense_type, prior_period,
                                                   total, item_count)
                        select :invoice, customer_user_id, coalesce(max(known_name), max(user_name)), expense_type,
                               prior_period, sum(amount), count(*)
                        from (select li.customer_user_id, li.user_name, cu.name as known_name, li.expense_type,
                                     li.amount, li.service_date < :start as prior_period
                              from line_items li
                              left join customer_users cu on cu.customer_id = li.customer_id
                                                         and cu.id = li.customer_user_id
                              where li.invoice_id = :invoice) items
                        group by customer_user_id, expense_type, prior_period""")
                .param("invoice", invoiceId).param("start", Date.valueOf(period.start())).update();
        jdbc.sql("""
                        insert into invoice_line_items (invoice_id, line_item_id, invoice_line_id, amount)
                        select :invoice, li.id, l.id, li.amount
                        from line_items li
                        join invoice_lines l on l.invoice_id = :invoice and l.customer_user_id = li.customer_user_id
                                            and l.expense_type = li.expense_type
                                            and l.prior_period = (li.service_date < :start)
                        where li.invoice_id = :invoice""")
                .param("invoice", invoiceId).param("start", Date.valueOf(period.start())).update();
        policies.flag(invoiceId);
        invariant.check(invoiceId, total, items);
        audit.record("invoice.created", "invoice", Long.toString(invoiceId), null,
                Map.of("customerId", customerId, "periodStart", period.start().toString(),
                        "periodEnd", period.end().toString(), "total", total.toPlainString(),
                        "items", items));
        events.publishEvent(new InvoiceIssued(invoiceId, customerId));
        return new Result(customerId, period, invoiceId, true, items + " items invoiced");
    }

    private void markClosed(String customerId, BillingPeriod period, Instant now) {
        jdbc.sql("""
                        update billing_schedules
                        set last_run_at = :now, updated_at = :now,
                            last_period_end = greatest(coalesce(last_period_end, :end), :end)
                        where customer_id = :c""")
                .param("c", customerId).param("end", Date.valueOf(period.end())).param("now", Timestamp.from(now))
                .update();
    }
}
