package com.invoicehub.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.shared.Money;

/**
 * Near-duplicates across channels: the same charge sent twice under two source keys (typically once by file and once
 * by webhook) is flagged, not billed blindly. An applied item with an earlier twin (same partner, customer and
 * employee, same amount, currency and expense type, service dates at most {@code hub.review.near-duplicate-days}
 * apart) waits in the review queue; finance confirms it (billed on the next run) or dismisses it with a reason (kept,
 * never billed, explained in the reconciliation). Detection is one statement per batch, in the batch's transaction,
 * and once more inside each invoice run's claim, where runs of one customer are serialized: two twins written at the
 * same moment by two nodes cannot both slip through to an invoice.
 */
@Service
public class NearDuplicates {

    /** Where a flagged item stands. */
    public enum State { PENDING, CONFIRMED, DISMISSED }

    /** A flagged item beside the earlier item it looks like. */
    public record Review(long lineItemId, State state, OffsetDateTime flaggedAt, String decidedBy,
                         OffsetDateTime decidedAt, String reason, Item item, Item twin) {
    }

    /** An item as the queue shows it. */
    public record Item(long id, String partnerId, String externalId, String customerId, String customerUserId,
                       String expenseType, Money amount, LocalDate serviceDate, String description, Long invoiceId,
                       String channel) {
    }

    /** What the review table keeps of a reason (its check constraint). */
    private static final int MAX_REASON_CHARS = 2000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final int days;

    NearDuplicates(JdbcClient jdbc, AuditLog audit, Clock clock,
                   @Value("${hub.review.near-duplicate-days:0}") int days) {
        if (days < 0 || days > 366) {
            throw new IllegalStateException("hub.review.near-duplicate-days must be 0 to 366, not " + days);
        }
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.days = days;
    }

    /**
     * Flags the near-duplicates among one partner's items just written (by their source keys, the ledger's unique
     * index); one statement.
     */
    void flagWritten(String partnerId, Collection<String> sourceKeys) {
        if (!sourceKeys.isEmpty()) {
            flag("n.partner_id = :partner and n.external_id = any(:keys)", Map.of("partner", partnerId,
                    "keys", sourceKeys.toArray(String[]::new)));
        }
    }

    /** Flags the near-duplicates among a customer's unbilled items: the invoice run's last look before its claim. */
    void flagUnbilled(String customerId) {
        flag("n.customer_id = :customer and n.invoice_id is null", Map.of("customer", customerId));
    }

    private void flag(String scope, Map<String, Object> parameters) {
        List<Map<String, Object>> flagged = jdbc.sql("""
                        insert into line_item_reviews (line_item_id, duplicate_of, state, flagged_at)
                        select n.id, twin.id, 'PENDING', :now
                        from line_items n
                        cross join lateral (
                            select o.id from line_items o
                            where o.customer_id = n.customer_id and o.customer_user_id = n.customer_user_id
                              and o.amount = n.amount
                              and o.service_date between n.service_date - :days and n.service_date + :days
                              and o.partner_id = n.partner_id and o.currency = n.currency
                              and o.expense_type = n.expense_type and o.external_id <> n.external_id
                              and o.id < n.id
                              and not exists (select 1 from line_item_reviews d
                                              where d.line_item_id = o.id and d.state = 'DISMISSED')
                            order by o.id limit 1) twin
                        where\s""" + scope + """

                        on conflict (line_item_id) do nothing
                        returning line_item_id, duplicate_of""")
                .params(parameters).param("now", Timestamp.from(clock.instant())).param("days", days)
                .query().listOfRows();
        // Rare, and each is a fact finance acts on: one audit event per flag.
        flagged.forEach(row -> audit.record("line-item.flagged-near-duplicate", "line-item",
                String.valueOf(row.get("line_item_id")), null, Map.of("state", State.PENDING,
                        "duplicateOf", row.get("duplicate_of"), "withinDays", days)));
    }

    /** The queue: items waiting for a decision (or in {@code state}), newest first, ids below {@code before}. */
    public List<Review> list(State state, long before, int limit) {
        return reviews("r.state = :state and r.line_item_id < :before order by r.line_item_id desc limit :limit",
                Map.of("state", state.name(), "before", before, "limit", limit));
    }

    /** The reviews of these items (those flagged), in one query. */
    public Map<Long, Review> reviewsOf(Collection<Long> lineItemIds) {
        if (lineItemIds.isEmpty()) {
            return Map.of();
        }
        return reviews("r.line_item_id = any(:ids)", Map.of("ids", lineItemIds.toArray(Long[]::new))).stream()
                .collect(java.util.stream.Collectors.toMap(Review::lineItemId, review -> review));
    }

    public Review get(long lineItemId) {
        return reviews("r.line_item_id = :id", Map.of("id", lineItemId)).stream().findFirst()
                .orElseThrow(() -> new ReviewNotFound(lineItemId));
    }

    private List<Review> reviews(String condition, Map<String, Object> parameters) {
        return jdbc.sql("""
                        select r.*, n.id as n_id, n.partner_id as n_partner, n.external_id as n_key,
                               n.customer_id as n_customer, n.customer_user_id as n_user, n.expense_type as n_type,
                               n.amount as n_amount, n.currency as n_currency, n.service_date as n_date,
                               n.description as n_description, n.invoice_id as n_invoice, nf.channel as n_channel,
                               o.id as o_id, o.partner_id as o_partner, o.external_id as o_key,
                               o.customer_id as o_customer, o.customer_user_id as o_user, o.expense_type as o_type,
                               o.amount as o_amount, o.currency as o_currency, o.service_date as o_date,
                               o.description as o_description, o.invoice_id as o_invoice, of.channel as o_channel
                        from line_item_reviews r
                        join line_items n on n.id = r.line_item_id
                        join line_items o on o.id = r.duplicate_of
                        left join source_records nr on nr.id = n.source_record_id
                        left join source_files nf on nf.id = nr.source_file_id
                        left join source_records orr on orr.id = o.source_record_id
                        left join source_files of on of.id = orr.source_file_id
                        where\s""" + condition)
                .params(parameters)
                .query((rs, row) -> new Review(rs.getLong("line_item_id"), State.valueOf(rs.getString("state")),
                        rs.getObject("flagged_at", OffsetDateTime.class), rs.getString("decided_by"),
                        rs.getObject("decided_at", OffsetDateTime.class), rs.getString("reason"),
                        item(rs, "n_"), item(rs, "o_")))
                .list();
    }

    private static Item item(java.sql.ResultSet rs, String prefix) throws java.sql.SQLException {
        return new Item(rs.getLong(prefix + "id"), rs.getString(prefix + "partner"), rs.getString(prefix + "key"),
                rs.getString(prefix + "customer"), rs.getString(prefix + "user"), rs.getString(prefix + "type"),
                new Money(rs.getBigDecimal(prefix + "amount"), Currency.getInstance(rs.getString(prefix + "currency")
                        .trim())), rs.getObject(prefix + "date", LocalDate.class), rs.getString(prefix + "description"),
                (Long) rs.getObject(prefix + "invoice"), rs.getString(prefix + "channel"));
    }

    public long pending() {
        return jdbc.sql("select count(*) from line_item_reviews where state = 'PENDING'").query(Long.class).single();
    }

    /** Finance: it is a charge of its own; the next invoice run bills it. */
    @Transactional
    public void confirm(long lineItemId, String decidedBy) {
        decide(lineItemId, State.CONFIRMED, decidedBy, null);
    }

    /** Finance: it is the same charge again; kept, never billed, with the reason. */
    @Transactional
    public void dismiss(long lineItemId, String decidedBy, String reason) {
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_REASON_CHARS) {
            throw new ReviewReasonRequired();
        }
        decide(lineItemId, State.DISMISSED, decidedBy, reason.strip());
    }

    private void decide(long lineItemId, State state, String decidedBy, String reason) {
        Instant now = clock.instant();
        int changed = jdbc.sql("""
                        update line_item_reviews set state = :state, decided_by = :by, decided_at = :now,
                               reason = :reason
                        where line_item_id = :id and state = 'PENDING'""")
                .param("state", state.name()).param("by", decidedBy).param("now", Timestamp.from(now))
                .param("reason", reason).param("id", lineItemId).update();
        if (changed == 0) {
            State current = jdbc.sql("select state from line_item_reviews where line_item_id = :id")
                    .param("id", lineItemId).query(String.class).optional().map(State::valueOf)
                    .orElseThrow(() -> new ReviewNotFound(lineItemId));
            throw new ReviewAlreadyDecided(lineItemId, current);
        }
        audit.record("line-item.review-" + state.name().toLowerCase(), "line-item", Long.toString(lineItemId),
                Map.of("state", State.PENDING), reason == null ? Map.of("state", state)
                        : Map.of("state", state, "reason", reason));
    }
}
