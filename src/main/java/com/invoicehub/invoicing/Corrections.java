package com.invoicehub.invoicing;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Currency;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.ledger.Ledger;
import com.invoicehub.platform.InvalidValue;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.shared.Money;

/**
 * Corrections of a denied invoice (CONTRACT §6): finance excludes or adjusts line items, each with a reason, then
 * re-issues the invoice as a new revision linked to the denied one, awaiting approval again. Excluded items go back
 * to the ledger for the next run. A denied invoice is re-issued once (a unique key on customer, period, revision).
 * A re-issue keeps the run's invariant: checked by {@link InvoiceInvariant} before commit.
 */
@Service
public class Corrections {

    public enum Action { EXCLUDE, ADJUST }

    private final JdbcClient jdbc;
    private final Invoices invoices;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final InvoiceInvariant invariant;
    private final Ledger ledger;
    private final PolicyChecks policies;

    Corrections(JdbcClient jdbc, Invoices invoices, AuditLog audit, Clock clock, ApplicationEventPublisher events,
                InvoiceInvariant invariant, Ledger ledger, PolicyChecks policies) {
        this.ledger = ledger;
        this.policies = policies;
        this.events = events;
        this.invariant = invariant;
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public void correct(long invoiceId, long lineItemId, Action action, String amount, String reason) {
        Invoice invoice = requireCorrectable(invoiceId);
        if (reason == null || reason.isBlank()) {
            throw new ReasonRequired("must say why the item is corrected");
        }
        if (action == null) {
            throw new InvalidValue("action", "must be EXCLUDE or ADJUST");
        }
        BigDecimal adjusted = null;
        if (action == Action.ADJUST) {
            if (amount == null) {
                throw new InvalidValue("amount", "is required to adjust an item");
            }
            try {
                adjusted = Money.parseExact(amount, Currency.getInstance(invoice.currency())).amount();
            } catch (IllegalArgumentException e) {
                throw new InvalidValue("amount", e.getMessage() == null ? "is not a decimal amount"
                        : e.getMessage());
            }
        }
        Map<String, Object> before = jdbc.sql("""
                        select amount, excluded from invoice_line_items where invoice_id = :invoice
                        and line_item_id = :item""")
                .param("invoice", invoiceId).param("item", lineItemId).query().listOfRows().stream().findFirst()
                .orElse(null);
        int changed = jdbc.sql("""
                        update invoice_line_items
                        set excluded = :excluded, amount = coalesce(:amount, amount), correction_reason = :reason
                        where invoice_id = :invoice and line_item_id = :item""")
                .param("excluded", action == Action.EXCLUDE).param("amount", adjusted).param("reason", reason.strip())
                .param("invoice", invoiceId).param("item", lineItemId).update();
        if (changed == 0) {
            throw new LineItemNotOnInvoice(invoiceId, lineItemId);
        }
        audit.record("invoice.item-" + action.name().toLowerCase(), "invoice", Long.toString(invoiceId), before,
                Map.of("lineItemId", lineItemId, "action", action.name(),
                        "amount", adjusted == null ? "" : adjusted.toPlainString(), "reason", reason.strip()));
    }

    /** Issues the corrected invoice as the next revision; answers it. */
    @Transactional
    public Invoice reissue(long invoiceId) {
        // The customer's invoice-run lock first (as a run takes it): the revision's policy flags count the customer's
        // other invoices, which no run of the same customer may change until this one commits.
        jdbc.sql("""
                        select pg_advisory_xact_lock(hashtext('invoice-run'), hashtext(customer_id))
                        from invoices where id = :id""")
                .param("id", invoiceId).query(Object.class).list();
        Invoice denied = requireCorrectable(invoiceId);
        Timestamp now = Timestamp.from(clock.instant());
        Currency currency = Currency.getInstance(denied.currency());
        // The set is the denied invoice's counted items; its row lock (requireCorrectable) keeps corrections out
        // until this transaction ends.
        Map<String, Object> kept = jdbc.sql("select coalesce(sum(amount), 0) as total, count(*) as items "
                        + "from invoice_line_items where invoice_id = :id and not excluded")
                .param("id", invoiceId).query().singleRow();
        Money total = new Money((BigDecimal) kept.get("total"), currency);
        long items = ((Number) kept.get("items")).longValue();
        long revision = jdbc.sql("""
                        insert into invoices (customer_id, period_start, period_end, revision, previous_invoice_id,
                                              status, currency, total, created_at, updated_at)
                        values (:c, :start, :end, :revision, :previous, :status, :currency, :total,
                                :now, :now)
                        returning id""")
                .param("c", denied.customerId()).param("start", java.sql.Date.valueOf(denied.periodStart()))
                .param("end", java.sql.Date.valueOf(denied.periodEnd())).param("revision", denied.revision() + 1)
                .param("previous", invoiceId).param("status", InvoiceStatus.AWAITING_APPROVAL.name())
                .param("currency", denied.currency())
                .param("total", total.amount()).param("now", now)
                .query(Long.class).single();
        jdbc.sql("""
                        insert into invoice_lines (invoice_id, customer_user_id, user_name, expense_type, prior_period,
                                                   total, item_count)
                        select :revision, l.customer_user_id, l.user_name, l.expense_type, l.prior_period,
                               sum(x.amount), count(*)
                        from invoice_line_items x join invoice_lines l on l.id = x.invoice_line_id
                        where x.invoice_id = :denied and not x.excluded
                        group by l.customer_user_id, l.user_name, l.expense_type, l.prior_period""")
                .param("revision", revision).param("denied", invoiceId).update();
        jdbc.sql("""
                        insert into invoice_line_items (invoice_id, line_item_id, invoice_line_id, amount,
                                                        correction_reason)
                        select :revision, x.line_item_id, nl.id, x.amount, x.correction_reason
                        from invoice_line_items x
                        join invoice_lines l on l.id = x.invoice_line_id
                        join invoice_lines nl on nl.invoice_id = :revision and nl.customer_user_id = l.customer_user_id
                                             and nl.expense_type = l.expense_type and nl.prior_period = l.prior_period
                        where x.invoice_id = :denied and not x.excluded""")
                .param("revision", revision).param("denied", invoiceId).update();
        ledger.rebill(invoiceId, revision);
        policies.flag(revision);
        invariant.check(revision, total, items);
        audit.record("invoice.reissued", "invoice", Long.toString(revision), Map.of("previousInvoiceId", invoiceId),
                Map.of("revision", denied.revision() + 1, "total", total.toPlainString()));
        events.publishEvent(new InvoiceIssued(revision, denied.customerId()));
        return invoices.get(revision, null);
    }

    private Invoice requireCorrectable(long invoiceId) {
        // Row lock: two re-issues (or a correction racing a re-issue) run one after the other, so the second sees
        // the first's revision and answers 409 instead of failing on the unique key.
        jdbc.sql("select id from invoices where id = :id for update").param("id", invoiceId).query(Long.class)
                .optional();
        Invoice invoice = invoices.get(invoiceId, null);
        if (invoice.status() != InvoiceStatus.DENIED) {
            throw new InvoiceNotDenied(invoiceId, invoice.status());
        }
        boolean reissued = jdbc.sql("select exists (select 1 from invoices where previous_invoice_id = :id)")
                .param("id", invoiceId).query(Boolean.class).single();
        if (reissued) {
            throw new InvoiceAlreadyReissued(invoiceId);
        }
        return invoice;
    }
}
