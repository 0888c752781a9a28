package com.invoicehub.reporting;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.invoicehub.ingest.DeadLetterCount;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.UnfinishedReceipts;
import com.invoicehub.ingest.WaitingInboxes;
import com.invoicehub.shared.DecimalAmount;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.shared.Money;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * Finance's reports (CONTRACT §8), straight from the ledger tables: the automatic match rate, spend outstanding in
 * every lifecycle state, and a reconciliation that accounts for every source record and every applied item.
 */
@Service
public class FinanceReports {

    private final JdbcClient jdbc;
    private final WaitingInboxes inboxes;
    private final UnfinishedReceipts unfinishedReceipts;
    private final DeadLetterCount deadLetters;
    private final Duration inboxMaxAge;

    FinanceReports(JdbcClient jdbc, WaitingInboxes inboxes, DeadLetterCount deadLetters,
            UnfinishedReceipts unfinishedReceipts,
            @Value("${hub.reconciliation.inbox-max-age:PT15M}") Duration inboxMaxAge) {
        this.jdbc = jdbc;
        this.inboxes = inboxes;
        this.deadLetters = deadLetters;
        this.unfinishedReceipts = unfinishedReceipts;
        this.inboxMaxAge = inboxMaxAge;
    }

    public record MatchRate(OffsetDateTime from, OffsetDateTime to, String partnerId, Map<Outcome, Long> attempts,
                            long total, BigDecimal matchRate) {
    }

    /**
     * Attempts by outcome in [from, to); the match rate is the share that needed no person: APPLIED and DUPLICATE
     * over all attempts (CONFLICT, REJECTED and ERROR need someone to look).
     */
    public MatchRate matchRate(OffsetDateTime from, OffsetDateTime to, String partnerId) {
        Map<Outcome, Long> attempts = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            attempts.put(outcome, 0L);
        }
        jdbc.sql("""
                        select outcome, count(*) from attempts
                        where at >= :from and at < :to and (cast(:partner as text) is null or partner_id = :partner)
                        group by outcome""")
                .param("from", Timestamp.from(from.toInstant())).param("to", Timestamp.from(to.toInstant()))
                .param("partner", partnerId)
                .query(rs -> {
                    attempts.put(Outcome.valueOf(rs.getString(1)), rs.getLong(2));
                });
        long total = attempts.values().stream().mapToLong(Long::longValue).sum();
        BigDecimal rate = total == 0 ? null : BigDecimal.valueOf(attempts.get(Outcome.APPLIED)
                + attempts.get(Outcome.DUPLICATE)).divide(BigDecimal.valueOf(total), 4, RoundingMode.HALF_EVEN);
        return new MatchRate(from, to, partnerId, attempts, total, rate);
    }

    /** One day's attempts and the share that needed no person (null on a day without attempts). */
    public record DailyMatchRate(LocalDate day, long attempts, BigDecimal matchRate) {
    }

    /** The match rate of each day from {@code first} to {@code last}, days read in {@code zone}; one query. */
    public List<DailyMatchRate> dailyMatchRate(LocalDate first, LocalDate last, ZoneId zone) {
        record Counts(long attempts, long matched) {
        }
        Map<LocalDate, Counts> byDay = new LinkedHashMap<>();
        jdbc.sql("""
                        select (at at time zone :zone)::date, count(*),
                               count(*) filter (where outcome in (:matched))
                        from attempts where at >= :from and at < :to group by 1""")
                .param("zone", zone.getId()).param("matched", List.of(Outcome.APPLIED.name(), Outcome.DUPLICATE.name()))
                .param("from", Timestamp.from(first.atStartOfDay(zone).toInstant()))
                .param("to", Timestamp.from(last.plusDays(1).atStartOfDay(zone).toInstant()))
                .query(rs -> {
                    byDay.put(rs.getObject(1, LocalDate.class), new Counts(rs.getLong(2), rs.getLong(3)));
                });
        List<DailyMatchRate> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            Counts counts = byDay.get(day);
            days.add(counts == null ? new DailyMatchRate(day, 0, null)
                    : new DailyMatchRate(day, counts.attempts(), BigDecimal.valueOf(counts.matched())
                            .divide(BigDecimal.valueOf(counts.attempts()), 4, RoundingMode.HALF_EVEN)));
        }
        return days;
    }

    public record Amount(long items, @JsonSerialize(using = DecimalAmount.class) Money total) {
    }

    public record Outstanding(String customerId, String currency, Amount notInvoiced, Amount awaitingApproval,
                              Amount approved, Amount denied) {
    }

    /**
     * Per customer, as of an instant: applied but not yet invoiced, and on invoices awaiting approval, approved (not
     * yet delivered) or denied (waiting for a correction). Amounts in the customer's currency.
     */
    public List<Outstanding> outstanding(OffsetDateTime asOf) {
        Timestamp at = Timestamp.from(asOf.toInstant());
        Map<String, Map<String, Amount>> byCustomer = new LinkedHashMap<>();
        Map<String, String> currencies = new LinkedHashMap<>();
        jdbc.sql("""
                        select c.id, c.currency, coalesce(i.status, 'NOT_INVOICED') as state, count(li.id),
                               coalesce(sum(li.amount), 0)
                        from customers c
                        join line_items li on li.customer_id = c.id and li.applied_at <= :at
                        left join invoices i on i.id = li.invoice_id and i.created_at <= :at
                        group by c.id, c.currency, coalesce(i.status, 'NOT_INVOICED')
                        order by c.id""")
                .param("at", at)
                .query(rs -> {
                    String currency = rs.getString(2).trim();
                    currencies.put(rs.getString(1), currency);
                    byCustomer.computeIfAbsent(rs.getString(1), c -> new LinkedHashMap<>()).put(rs.getString(3),
                            new Amount(rs.getLong(4), money(rs.getBigDecimal(5), currency)));
                });
        List<Outstanding> report = new ArrayList<>();
        byCustomer.forEach((customer, states) -> {
            String currency = currencies.get(customer);
            Amount none = new Amount(0, money(BigDecimal.ZERO, currency));
            report.add(new Outstanding(customer, currency, states.getOrDefault("NOT_INVOICED", none),
                    states.getOrDefault(InvoiceStatus.AWAITING_APPROVAL.name(), none),
                    states.getOrDefault(InvoiceStatus.APPROVED.name(), none),
                    states.getOrDefault(InvoiceStatus.DENIED.name(), none)));
        });
        return report;
    }

    public record RecordsAccount(long received, long applied, long duplicate, long conflict, long rejected,
                                 long error, long pending, long unexplained) {
    }

    /**
     * {@code dismissedAsDuplicates}: near-duplicates finance dismissed (kept, never billed, explained); an item waiting
     * for its review counts as waiting.
     */
    public record ItemsAccount(long applied, long onOneLiveInvoice, long waiting, long onDeniedInvoice,
                               long dismissedAsDuplicates, long unexplained) {
    }

    /** Where a record of the window stands: held by the ledger, its latest refusal, no attempt yet, or unexplained. */
    private enum RecordStanding { APPLIED, DUPLICATE, CONFLICT, REJECTED, ERROR, PENDING, UNEXPLAINED }

    /** Where an applied line item stands: on exactly one live invoice, waiting, on a denied one, or unexplained. */
    private enum ItemStanding { ONE_LIVE, WAITING, DENIED, DISMISSED, UNEXPLAINED }

    /**
     * Receipts and inboxes: receipts of the window stuck unfinished past their lease, and, as of now, messages in the
     * dead-letter queue and files waiting in an inbox longer than {@code hub.reconciliation.inbox-max-age}.
     */
    public record ReceiptsAccount(long stuck, long deadLetters, long waitingInInboxes, long unexplained) {
    }

    /** Invoices created in the window, and how many breaches of their invariants were found (each listed). */
    public record InvoicesAccount(long checked, long unexplained) {
    }

    public record Reconciliation(OffsetDateTime from, OffsetDateTime to, RecordsAccount records, ItemsAccount items,
                                 ReceiptsAccount receipts, InvoicesAccount invoices, List<String> differences) {
    }

    /**
     * Proves nothing is lost or billed twice for records received in [from, to): each record is applied (holds its
     * line item), or its latest attempt says DUPLICATE, CONFLICT, REJECTED or ERROR, or it is pending (no attempt
     * yet); each line item applied in the window is on exactly one live invoice or waiting for one in its customer's
     * currency (or on a denied invoice, waiting for its correction); and every invoice created in the window adds up
     * (total = lines = line items, each billed item in exactly one of its lines, in its currency). Anything else is
     * listed as a difference.
     */
    public Reconciliation reconciliation(OffsetDateTime from, OffsetDateTime to) {
        Timestamp start = Timestamp.from(from.toInstant());
        Timestamp end = Timestamp.from(to.toInstant());
        Map<RecordStanding, Long> standing = new EnumMap<>(RecordStanding.class);
        jdbc.sql("""
                        select case when holds then 'APPLIED'
                                    when latest is null then 'PENDING'
                                    when latest = 'APPLIED' then 'UNEXPLAINED'
                                    else latest end as standing,
                               count(*)
                        from (select exists (select 1 from line_items li where li.partner_id = r.partner_id
                                 and li.external_id = r.external_id and li.source_record_id = r.source_record_id)
                                     as holds,
                                     r.outcome as latest
                              from latest_attempts r
                              where r.received_at >= :from and r.received_at < :to) records
                        group by 1""")
                .param("from", start).param("to", end)
                .query(rs -> {
                    standing.put(RecordStanding.valueOf(rs.getString(1)), rs.getLong(2));
                });
        RecordsAccount records = new RecordsAccount(standing.values().stream().mapToLong(Long::longValue).sum(),
                standing.getOrDefault(RecordStanding.APPLIED, 0L), standing.getOrDefault(RecordStanding.DUPLICATE, 0L),
                standing.getOrDefault(RecordStanding.CONFLICT, 0L), standing.getOrDefault(RecordStanding.REJECTED, 0L),
                standing.getOrDefault(RecordStanding.ERROR, 0L), standing.getOrDefault(RecordStanding.PENDING, 0L),
                standing.getOrDefault(RecordStanding.UNEXPLAINED, 0L));

        List<String> differences = new ArrayList<>();
        jdbc.sql("""
                        select r.source_record_id from latest_attempts r
                        where r.received_at >= :from and r.received_at < :to
                          and not exists (select 1 from line_items li where li.partner_id = r.partner_id
                                 and li.external_id = r.external_id and li.source_record_id = r.source_record_id)
                          and r.outcome = 'APPLIED'
                        limit 100""")
                .param("from", start).param("to", end)
                .query(rs -> {
                    differences.add("record " + rs.getLong(1) + ": its latest attempt is APPLIED but the ledger "
                            + "holds no line item from it");
                });
        Map<ItemStanding, Long> items = new EnumMap<>(ItemStanding.class);
        List<Long> unexplainedItems = new ArrayList<>();
        jdbc.sql("""
                        select state, count(*), (array_agg(id order by id))[1 : 100] from (
                        select li.id,
                               case when li.invoice_id is null and li.currency <> c.currency then 'UNEXPLAINED'
                                    when li.invoice_id is null and exists (select 1 from line_item_reviews r
                                         where r.line_item_id = li.id and r.state = 'DISMISSED') then 'DISMISSED'
                                    when li.invoice_id is null then 'WAITING'
                                    when i.status = 'DENIED' then 'DENIED'
                                    when (select count(*) from invoice_line_items x join invoices xi on xi.id = x.invoice_id
                                          where x.line_item_id = li.id and not x.excluded and xi.status <> 'DENIED') = 1
                                         and exists (select 1 from invoice_line_items x
                                                     where x.line_item_id = li.id and x.invoice_id = li.invoice_id)
                                    then 'ONE_LIVE'
                                    else 'UNEXPLAINED' end as state
                        from line_items li left join invoices i on i.id = li.invoice_id
                        join customers c on c.id = li.customer_id
                        where li.applied_at >= :from and li.applied_at < :to) states
                        group by state""")
                .param("from", start).param("to", end)
                .query(rs -> {
                    ItemStanding state = ItemStanding.valueOf(rs.getString(1));
                    items.put(state, rs.getLong(2));
                    if (state == ItemStanding.UNEXPLAINED) {
                        unexplainedItems.addAll(List.of((Long[]) rs.getArray(3).getArray()));
                    }
                });
        ItemsAccount itemAccount = new ItemsAccount(items.values().stream().mapToLong(Long::longValue).sum(),
                items.getOrDefault(ItemStanding.ONE_LIVE, 0L), items.getOrDefault(ItemStanding.WAITING, 0L),
                items.getOrDefault(ItemStanding.DENIED, 0L), items.getOrDefault(ItemStanding.DISMISSED, 0L),
                items.getOrDefault(ItemStanding.UNEXPLAINED, 0L));
        if (itemAccount.unexplained() > 0) {
            differences.add(itemAccount.unexplained() + " line items are on no invoice that holds them, on more than "
                    + "one live invoice, or wait in another currency than their customer's: " + ids(unexplainedItems));
        }
        jdbc.sql("""
                        select li.id, li.currency, c.id, c.currency from line_items li
                        join customers c on c.id = li.customer_id
                        where li.applied_at >= :from and li.applied_at < :to and li.invoice_id is null
                          and li.currency <> c.currency
                        order by li.id limit 100""")
                .param("from", start).param("to", end)
                .query(rs -> {
                    differences.add("line item " + rs.getLong(1) + " waits in " + rs.getString(2) + " but customer "
                            + rs.getString(3) + " is invoiced in " + rs.getString(4) + ": no run bills it");
                });
        ReceiptsAccount receipts = receipts(start, end, differences);
        return new Reconciliation(from, to, records, itemAccount, receipts, invoices(start, end, differences),
                differences);
    }

    /**
     * Recomputes, from the tables alone, every invoice created in the window: its total equals the sum of its lines;
     * its lines' sum and item count, and each line's, equal those of the line items it counts (unless it is denied
     * and being corrected); every item billed to it is counted in exactly one of its lines, at its own amount unless a
     * correction says why not, and in the invoice's currency; and every item a live invoice counts is billed to it.
     */
    private InvoicesAccount invoices(Timestamp start, Timestamp end, List<String> differences) {
        long checked = jdbc.sql("select count(*) from invoices where created_at >= :from and created_at < :to")
                .param("from", start).param("to", end).query(Long.class).single();
        List<String> breaches = jdbc.sql("""
                        with inv as (select * from invoices where created_at >= :from and created_at < :to),
                        lines as (select l.invoice_id, sum(l.total) as total, sum(l.item_count) as items
                                  from invoice_lines l where l.invoice_id in (select id from inv)
                                  group by l.invoice_id),
                        counted as (select x.invoice_id, sum(x.amount) filter (where not x.excluded) as total,
                                           count(*) filter (where not x.excluded) as items,
                                           bool_or(x.correction_reason is not null) as corrected
                                    from invoice_line_items x where x.invoice_id in (select id from inv)
                                    group by x.invoice_id),
                        line_counted as (select x.invoice_line_id, sum(x.amount) filter (where not x.excluded) as total,
                                                count(*) filter (where not x.excluded) as items,
                                                bool_or(x.correction_reason is not null) as corrected
                                         from invoice_line_items x where x.invoice_id in (select id from inv)
                                         group by x.invoice_line_id)
                        select i.id, 'invoice ' || i.id || ': total ' || i.total::numeric(19,4) || ' but its lines sum to '
                                     || coalesce(l.total, 0)::numeric(19,4)
                        from inv i left join lines l on l.invoice_id = i.id
                        where i.total <> coalesce(l.total, 0)
                        union all
                        select i.id, 'invoice ' || i.id || ': its lines sum to ' || coalesce(l.total, 0)::numeric(19,4)
                                     || ' over ' || coalesce(l.items, 0) || ' items but its line items to '
                                     || coalesce(c.total, 0)::numeric(19,4) || ' over ' || coalesce(c.items, 0)
                        from inv i left join lines l on l.invoice_id = i.id left join counted c on c.invoice_id = i.id
                        where not (i.status = 'DENIED' and coalesce(c.corrected, false))
                          and (coalesce(l.total, 0) <> coalesce(c.total, 0) or coalesce(l.items, 0) <> coalesce(c.items, 0))
                        union all
                        select i.id, 'invoice ' || i.id || ': line ' || l.id || ' says ' || l.total::numeric(19,4)
                                     || ' over ' || l.item_count || ' items but its line items sum to '
                                     || coalesce(c.total, 0)::numeric(19,4) || ' over ' || coalesce(c.items, 0)
                        from inv i join invoice_lines l on l.invoice_id = i.id
                        left join line_counted c on c.invoice_line_id = l.id
                        where not (i.status = 'DENIED' and coalesce(c.corrected, false))
                          and (l.total <> coalesce(c.total, 0) or l.item_count <> coalesce(c.items, 0))
                        union all
                        select i.id, 'invoice ' || i.id || ': line item ' || li.id || ' is billed to it but counted in '
                                     || (select count(*) from invoice_line_items x
                                         join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = i.id
                                         where x.invoice_id = i.id and x.line_item_id = li.id
                                           and (not x.excluded or i.status = 'DENIED')) || ' of its lines'
                        from inv i join line_items li on li.invoice_id = i.id
                        where (select count(*) from invoice_line_items x
                               join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = i.id
                               where x.invoice_id = i.id and x.line_item_id = li.id
                                 and (not x.excluded or i.status = 'DENIED')) <> 1
                        union all
                        select i.id, 'invoice ' || i.id || ': line item ' || li.id || ' is counted at '
                                     || x.amount::numeric(19,4) || ' but is ' || li.amount::numeric(19,4)
                                     || ', with no correction saying why'
                        from inv i join line_items li on li.invoice_id = i.id
                        join invoice_line_items x on x.invoice_id = i.id and x.line_item_id = li.id
                        where x.amount <> li.amount and x.correction_reason is null
                        union all
                        select i.id, 'invoice ' || i.id || ': line item ' || x.line_item_id || ' is counted in line '
                                     || coalesce(x.invoice_line_id::text, '(none)') || ' but billed to '
                                     || coalesce('invoice ' || li.invoice_id, case when li.id is null
                                                 then 'nothing: the ledger holds no such item' else 'no invoice' end)
                        from inv i join invoice_line_items x on x.invoice_id = i.id and not x.excluded
                        left join line_items li on li.id = x.line_item_id
                        where i.status <> 'DENIED' and li.invoice_id is distinct from i.id
                        union all
                        select i.id, 'invoice ' || i.id || ': line item ' || li.id || ' is in ' || li.currency
                                     || ' but the invoice in ' || i.currency
                        from inv i join line_items li on li.invoice_id = i.id
                        where li.currency <> i.currency
                        order by 1, 2""")
                .param("from", start).param("to", end)
                .query((rs, row) -> rs.getString(2)).list();
        breaches.stream().limit(100).forEach(differences::add);
        if (breaches.size() > 100) {
            differences.add((breaches.size() - 100) + " more invoice breaches not listed");
        }
        return new InvoicesAccount(checked, breaches.size());
    }

    private ReceiptsAccount receipts(Timestamp start, Timestamp end, List<String> differences) {
        List<Long> stuck = unfinishedReceipts.unaccounted(start.toInstant(), end.toInstant());
        if (!stuck.isEmpty()) {
            differences.add(stuck.size() + " receipts are unfinished with nobody finishing them (no live lease, no "
                    + "progress, or given up after their failed tries): files " + ids(stuck));
        }
        long deadLetters;
        try {
            deadLetters = this.deadLetters.count();
            if (deadLetters > 0) {
                // Counted, not read: reading a queue hides its messages for a while. Their ids and reasons are in
                // GET /api/v1/ingest/dead-letters.
                differences.add(deadLetters + " messages are in the SQS dead-letter queue (GET "
                        + "/api/v1/ingest/dead-letters lists them with their reasons)");
            }
        } catch (RuntimeException e) {
            deadLetters = 1; // not proven empty
            differences.add("could not look into the SQS dead-letter queue: " + e.getMessage());
        }
        WaitingInboxes.Inboxes waiting = inboxes.waitingLongerThan(inboxMaxAge);
        if (!waiting.waiting().isEmpty()) {
            differences.add(waiting.waiting().size() + " files have waited in an inbox longer than " + inboxMaxAge
                    + ": " + waiting.waiting().stream().limit(100).map(f -> f.location() + " (since " + f.since()
                    + ")").collect(Collectors.joining(", ")));
        }
        waiting.unreadable().forEach(problem -> differences.add("could not look into " + problem));
        long unexplained = stuck.size() + deadLetters + waiting.waiting().size() + waiting.unreadable().size();
        return new ReceiptsAccount(stuck.size(), deadLetters, waiting.waiting().size(), unexplained);
    }

    private static String ids(List<Long> ids) {
        return ids.stream().limit(100).map(String::valueOf).collect(Collectors.joining(", "))
                + (ids.size() > 100 ? ", …" : "");
    }

    private static Money money(BigDecimal amount, String currency) {
        return new Money(amount, java.util.Currency.getInstance(currency));
    }
}
