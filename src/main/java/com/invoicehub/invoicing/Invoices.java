package com.invoicehub.invoicing;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.shared.Money;

/**
 * Invoices as ops and customers see them, and their decision: AWAITING_APPROVAL becomes APPROVED or DENIED exactly
 * once (a conditional update: of many concurrent decisions one changes the row, the others answer 409).
 * A customer sees only its own invoices; another's answers 404, as if it did not exist.
 */
@Service
public class Invoices {

    /**
     * Each invoice's lines in the same query (one JSON array per invoice, amounts as text), so a page of 500
     * invoices is one round trip, not 501.
     */
    private static final String LINES = """
            coalesce((select json_agg(json_build_object('u', l.customer_user_id, 'n', l.user_name,
                                                        't', l.expense_type, 'a', l.total::text,
                                                        'c', l.item_count, 'p', l.prior_period,
                                                        'f', (select json_agg(json_build_object(
                                                                  'k', f.kind, 'y', f.year,
                                                                  'o', f.amount_over::text,
                                                                  'l', f.policy_limit::text,
                                                                  't', f.year_total::text, 'c', f.item_count)
                                                                  order by f.kind, f.year)
                                                              from invoice_line_flags f
                                                              where f.invoice_line_id = l.id))
                                      order by l.customer_user_id, l.prior_period desc, l.expense_type)
                      from invoice_lines l where l.invoice_id = i.id), '[]')::text as lines_json""";
    private static final ObjectMapper LINES_JSON =
            new ObjectMapper();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Invoices(JdbcClient jdbc, AuditLog audit, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    /** {@code onlyCustomer}: the caller's customer id when a customer asks, null for ops. */
    public List<Invoice> list(String customerId, InvoiceStatus status, String onlyCustomer, long beforeId, int limit) {
        if (onlyCustomer != null && customerId != null && !customerId.equals(onlyCustomer)) {
            return List.of();
        }
        String customer = onlyCustomer != null ? onlyCustomer : customerId;
        return jdbc.sql("""
                        select i.*, """ + LINES + " " + """
                        from invoices i
                        where (cast(:c as text) is null or customer_id = :c)
                          and (cast(:status as text) is null or status = :status) and id < :before
                        order by id desc limit :limit""")
                .param("c", customer).param("status", status == null ? null : status.name())
                .param("before", beforeId).param("limit", limit)
                .query(this::invoice).list();
    }

    public Invoice get(long id, String onlyCustomer) {
        return find(id).filter(invoice -> onlyCustomer == null || invoice.customerId().equals(onlyCustomer))
                .orElseThrow(() -> new InvoiceNotFound(id));
    }

    private Optional<Invoice> find(long id) {
        return jdbc.sql("select i.*, " + LINES + " from invoices i where id = :id").param("id", id)
                .query(this::invoice).optional();
    }

    /**
     * The items behind every line of an invoice, in one query for the whole invoice (not one per line). Excluded
     * items are included, marked; the partner's name comes with each item. An unknown invoice has none.
     */
    public InvoiceLineItems lineItems(long invoiceId) {
        return InvoiceLineItems.of(jdbc.sql("""
                        select l.customer_user_id, l.expense_type, l.prior_period, x.line_item_id, li.partner_id,
                               p.name as partner_name, li.external_id, li.description, li.service_date, x.amount,
                               x.excluded, x.correction_reason, i.currency
                        from invoice_line_items x
                        join invoices i on i.id = x.invoice_id
                        join invoice_lines l on l.id = x.invoice_line_id
                        join line_items li on li.id = x.line_item_id
                        left join partners p on p.id = li.partner_id
                        where x.invoice_id = :id
                        order by l.id, li.service_date, li.partner_id, li.external_id""")
                .param("id", invoiceId)
                .query((rs, row) -> Map.entry(
                        new InvoiceLineItems.LineKey(rs.getString("customer_user_id"), rs.getString("expense_type"),
                                rs.getBoolean("prior_period")),
                        new InvoiceLineItems.Item(rs.getLong("line_item_id"), rs.getString("partner_id"),
                                rs.getString("partner_name"), rs.getString("external_id"),
                                rs.getString("description"), rs.getObject("service_date", LocalDate.class),
                                new Money(rs.getBigDecimal("amount"),
                                        Currency.getInstance(rs.getString("currency").trim())),
                                rs.getBoolean("excluded"), rs.getString("correction_reason"))))
                .list());
    }

    @Transactional
    public Invoice approve(long id, String onlyCustomer, String decidedBy) {
        return decide(id, onlyCustomer, decidedBy, InvoiceStatus.APPROVED, null);
    }

    @Transactional
    public Invoice deny(long id, String onlyCustomer, String decidedBy, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new ReasonRequired("must say why the invoice is denied");
        }
        return decide(id, onlyCustomer, decidedBy, InvoiceStatus.DENIED, reason.strip());
    }

    private Invoice decide(long id, String onlyCustomer, String decidedBy, InvoiceStatus status,
                           String reason) {
        Invoice before = get(id, onlyCustomer);
        int changed = jdbc.sql("""
                        update invoices set status = :status, decided_by = :by, decided_at = :now, reason = :reason,
                               updated_at = :now
                        where id = :id and status = 'AWAITING_APPROVAL'""")
                .param("id", id).param("status", status.name()).param("by", decidedBy).param("reason", reason)
                .param("now", Timestamp.from(clock.instant())).update();
        if (changed == 0) {
            throw new InvoiceAlreadyDecided(id, get(id, onlyCustomer).status());
        }
        Invoice after = get(id, onlyCustomer);
        audit.record("invoice." + status.name().toLowerCase(), "invoice", Long.toString(id),
                Map.of("status", before.status()), Map.of("status", after.status(), "decidedBy", decidedBy,
                        "reason", reason == null ? "" : reason));
        if (status == InvoiceStatus.APPROVED) {
            events.publishEvent(new InvoiceApproved(id, after.customerId()));
        }
        return after;
    }

    /** APPROVED becomes DELIVERED once every delivery of the invoice is sent; true when this call changed it. */
    @Transactional
    public boolean markDelivered(long id) {
        int changed = jdbc.sql("update invoices set status = 'DELIVERED', updated_at = :now "
                        + "where id = :id and status = 'APPROVED'")
                .param("id", id).param("now", Timestamp.from(clock.instant())).update();
        if (changed == 1) {
            audit.record("invoice.delivered", "invoice", Long.toString(id), Map.of("status", InvoiceStatus.APPROVED),
                    Map.of("status", InvoiceStatus.DELIVERED));
        }
        return changed == 1;
    }

    private static Money money(JsonNode amount, Currency currency) {
        return amount == null || amount.isNull() ? null : new Money(new BigDecimal(amount.asText()), currency);
    }

    private Invoice invoice(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        Currency currency = Currency.getInstance(rs.getString("currency").trim());
        List<Invoice.Line> lines = new ArrayList<>();
        try {
            for (JsonNode l : LINES_JSON.readTree(rs.getString("lines_json"))) {
                String expenseType = l.get("t").asText();
                List<PolicyFlag> flags = new ArrayList<>();
                for (JsonNode f : l.path("f")) {
                    flags.add(PolicyFlag.of(PolicyFlag.Kind.valueOf(f.get("k").asText()), expenseType,
                            f.get("y").asInt(), money(f.get("o"), currency), money(f.get("l"), currency),
                            money(f.get("t"), currency), f.get("c").isNull() ? null : f.get("c").asInt()));
                }
                lines.add(new Invoice.Line(l.get("u").asText(), l.get("n").isNull() ? null : l.get("n").asText(),
                        expenseType, new Money(new BigDecimal(l.get("a").asText()), currency),
                        l.get("c").asInt(), l.get("p").asBoolean(), flags));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lines of invoice " + id + " unreadable", e);
        }
        return new Invoice(id, rs.getString("customer_id"), rs.getInt("revision"),
                (Long) rs.getObject("previous_invoice_id"), rs.getObject("period_start", LocalDate.class),
                rs.getObject("period_end", LocalDate.class), InvoiceStatus.valueOf(rs.getString("status")),
                currency.getCurrencyCode(), new Money(rs.getBigDecimal("total"), currency), lines,
                rs.getString("decided_by"), rs.getObject("decided_at", OffsetDateTime.class), rs.getString("reason"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
