package com.invoicehub.ledger;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.postgres.CopyText;
import com.invoicehub.platform.postgres.PostgresCopy;
import com.invoicehub.shared.Money;

/**
 * The ledger: line items by source key (partner, external id), the customer users they name, and which invoice bills
 * each. The one writer of {@code line_items} and {@code customer_users}: ingest applies items through it (verdicts by
 * {@link Verdict}), invoicing claims and re-bills them. Every write runs in the caller's transaction and writes keys
 * in key order, so two writers sharing keys wait for each other and never deadlock.
 */
@Component
public class Ledger {

    private final JdbcClient jdbc;
    private final PostgresCopy copy;
    private final NearDuplicates nearDuplicates;

    Ledger(JdbcClient jdbc, PostgresCopy copy, NearDuplicates nearDuplicates) {
        this.jdbc = jdbc;
        this.copy = copy;
        this.nearDuplicates = nearDuplicates;
    }

    /** An item a batch applies under its source key, from the record it was sent in. */
    public record NewItem(String partnerId, ValidLineItem item, String contentHash, long sourceRecordId) {
        static final Comparator<NewItem> KEY_ORDER = Comparator.comparing(NewItem::partnerId)
                .thenComparing(newItem -> newItem.item().externalId());
    }

    /** A customer user as a line item names it: id, and the name it was sent with (may be null). */
    public record CustomerUser(String customerId, String id, String name) {
        static final Comparator<CustomerUser> KEY_ORDER = Comparator.comparing(CustomerUser::customerId)
                .thenComparing(CustomerUser::id);
    }

    /** New items as COPY text, made off any transaction (e.g. on the thread reading a file) and in key order. */
    public static final class NewItems {
        private final CopyText text;
        /** The source keys of the items by partner, for the near-duplicate check of what was written. */
        private final Map<String, List<String>> keys = new HashMap<>();

        public NewItems(Collection<NewItem> items, Instant appliedAt) {
            this.text = new CopyText(items.size() * 160);
            items.forEach(item -> keys.computeIfAbsent(item.partnerId(), p -> new ArrayList<>())
                    .add(item.item().externalId()));
            String at = appliedAt.toString();
            items.stream().sorted(NewItem.KEY_ORDER).forEach(newItem -> {
                ValidLineItem item = newItem.item();
                text.field(newItem.partnerId()).field(item.externalId()).field(item.customerId())
                        .field(item.customerUserId()).field(item.userName()).field(item.expenseType().name())
                        .field(item.amount().toPlainString()).field(item.amount().currency().getCurrencyCode())
                        .field(item.serviceDate().toString()).field(item.description()).field(newItem.contentHash())
                        .field(newItem.sourceRecordId()).last(at);
            });
        }
    }

    /** The ledger's entries for these source keys of one partner: one look-up. */
    public Map<String, LedgerEntry> entries(String partnerId, Collection<String> sourceKeys) {
        Map<String, LedgerEntry> entries = new HashMap<>();
        if (sourceKeys.isEmpty()) {
            return entries;
        }
        jdbc.sql("""
                        select external_id, content_hash, source_record_id from line_items
                        where partner_id = :partner and external_id = any(:keys)""")
                .param("partner", partnerId)
                .param("keys", new SqlArrayValue("text", sourceKeys.stream().distinct().toArray()))
                .query(rs -> {
                    entries.put(rs.getString(1), new LedgerEntry(rs.getString(2), rs.getLong(3)));
                });
        return entries;
    }

    /**
     * Writes items whose verdict was APPLIED against {@link #entries} read before the transaction. A key another
     * transaction applied meanwhile fails the COPY with a unique violation on {@code line_items} (see
     * {@link #isSourceKeyTaken}); the caller then applies the batch with {@link #insertNew}.
     */
    public void copy(NewItems items) {
        copy.copyIn("copy line_items (partner_id, external_id, customer_id, customer_user_id, user_name, "
                + "expense_type, amount, currency, service_date, description, content_hash, source_record_id, "
                + "applied_at) from stdin", items.text);
        items.keys.forEach(nearDuplicates::flagWritten);
    }

    /** Whether a failed write was a source key already held (the race {@link #copy} loses). */
    public static boolean isSourceKeyTaken(org.springframework.dao.DataAccessException failure) {
        return failure instanceof org.springframework.dao.DuplicateKeyException
                && failure.getMostSpecificCause() instanceof org.postgresql.util.PSQLException psql
                && psql.getServerErrorMessage() != null
                && "line_items".equals(psql.getServerErrorMessage().getTable());
    }

    /**
     * Inserts each item whose source key is free (a key held, or applied meanwhile by a transaction it waits for, is
     * skipped) and answers the records whose items it inserted; the others' verdicts come from {@link #entries} read
     * after it and {@link Verdict#of}.
     */
    public Set<Long> insertNew(List<NewItem> unordered, Instant at) {
        Set<Long> inserted = new HashSet<>();
        if (unordered.isEmpty()) {
            return inserted;
        }
        List<NewItem> items = unordered.stream().sorted(NewItem.KEY_ORDER).toList();
        jdbc.sql("""
                        insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                                expense_type, amount, currency, service_date, description,
                                                content_hash, source_record_id, applied_at)
                        select u.partner_id, u.external_id, u.customer_id, u.customer_user_id, u.user_name,
                               u.expense_type, u.amount, u.currency, u.service_date, u.description, u.content_hash,
                               u.source_record_id, :at
                        from unnest(:partners, :keys, :customers, :users, :names, :types, :amounts, :currencies,
                                    :dates, :descriptions, :hashes, :records)
                             with ordinality as u (partner_id, external_id, customer_id, customer_user_id, user_name,
                                                   expense_type, amount, currency, service_date, description,
                                                   content_hash, source_record_id, n)
                        order by u.n
                        on conflict (partner_id, external_id) do nothing
                        returning source_record_id""")
                .param("partners", array("text", items, NewItem::partnerId))
                .param("keys", array("text", items, i -> i.item().externalId()))
                .param("customers", array("text", items, i -> i.item().customerId()))
                .param("users", array("text", items, i -> i.item().customerUserId()))
                .param("names", array("text", items, i -> i.item().userName()))
                .param("types", array("text", items, i -> i.item().expenseType().name()))
                .param("amounts", array("numeric", items, i -> i.item().amount().amount()))
                .param("currencies", array("text", items, i -> i.item().amount().currency().getCurrencyCode()))
                .param("dates", array("date", items, i -> Date.valueOf(i.item().serviceDate())))
                .param("descriptions", array("text", items, i -> i.item().description()))
                .param("hashes", array("text", items, NewItem::contentHash))
                .param("records", array("int8", items, NewItem::sourceRecordId))
                .param("at", Timestamp.from(at))
                .query(Long.class).list().forEach(inserted::add);
        Map<String, List<String>> written = new HashMap<>();
        items.stream().filter(item -> inserted.contains(item.sourceRecordId())).forEach(item -> written
                .computeIfAbsent(item.partnerId(), p -> new ArrayList<>()).add(item.item().externalId()));
        written.forEach(nearDuplicates::flagWritten);
        return inserted;
    }

    /** Learns customer users from applied items: a new one is added, a known one takes the latest name. */
    public void learnUsers(Collection<CustomerUser> unordered, Instant at) {
        if (unordered.isEmpty()) {
            return;
        }
        List<CustomerUser> users = unordered.stream().sorted(CustomerUser.KEY_ORDER).toList();
        jdbc.sql("""
                        insert into customer_users (customer_id, id, name, first_seen_at, updated_at)
                        select u.customer_id, u.id, u.name, :at, :at
                        from unnest(:customers, :ids, :names) with ordinality as u (customer_id, id, name, n)
                        where not exists (select 1 from customer_users cu
                                          where cu.customer_id = u.customer_id and cu.id = u.id
                                            and cu.name is not distinct from u.name)
                        order by u.n
                        on conflict (customer_id, id) do update
                            set name = coalesce(excluded.name, customer_users.name), updated_at = excluded.updated_at
                        """)
                .param("customers", array("text", users, CustomerUser::customerId))
                .param("ids", array("text", users, CustomerUser::id))
                .param("names", array("text", users, CustomerUser::name))
                .param("at", Timestamp.from(at)).update();
    }

    /**
     * Bills to {@code invoiceId} every item of the customer not yet billed, served before {@code servedBefore} and in
     * {@code currency} (an item in another is never relabelled), in one statement: the one read of the set an
     * invoice is computed from. Answers the amounts claimed.
     */
    public List<Money> claimUnbilled(String customerId, LocalDate servedBefore, Currency currency, long invoiceId) {
        // A twin written by another node at the same moment as its pair escaped the check of its batch; none escapes
        // this one (the runs of a customer are serialized), and flagged items wait for finance.
        nearDuplicates.flagUnbilled(customerId);
        return jdbc.sql("""
                        update line_items li set invoice_id = :invoice
                        where customer_id = :c and invoice_id is null and service_date < :end
                          and currency = :currency
                          and not exists (select 1 from line_item_reviews r
                                          where r.line_item_id = li.id and r.state <> 'CONFIRMED')
                        returning amount, currency""")
                .param("invoice", invoiceId).param("c", customerId).param("end", Date.valueOf(servedBefore))
                .param("currency", currency.getCurrencyCode())
                .query((rs, row) -> new Money(rs.getBigDecimal(1), Currency.getInstance(rs.getString(2).trim())))
                .list();
    }

    /**
     * A denied invoice re-issued: the items it kept are billed to the revision, the ones a correction excluded go
     * back to be billed by the next run.
     */
    public void rebill(long deniedInvoiceId, long revisionId) {
        jdbc.sql("""
                        update line_items li set invoice_id = case when x.excluded then null else :revision end
                        from invoice_line_items x
                        where x.invoice_id = :denied and x.line_item_id = li.id""")
                .param("revision", revisionId).param("denied", deniedInvoiceId).update();
    }

    private static <T> SqlArrayValue array(String type, Collection<T> values, Function<T, ?> field) {
        return new SqlArrayValue(type, values.stream().map(field).toArray());
    }
}
