package com.invoicehub.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import com.invoicehub.delivery.Deliveries;
import com.invoicehub.delivery.DeliveryStatus;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.lookup.IngestQueries;
import com.invoicehub.ledger.NearDuplicates;
import com.invoicehub.reporting.FinanceReports;
import com.invoicehub.reporting.FinanceReports.Amount;
import com.invoicehub.reporting.FinanceReports.Outstanding;
import com.invoicehub.shared.Money;

/**
 * The overview: what came in today and this month, the match rate of the last 30 days, the outstanding spend by
 * lifecycle state, and everything that waits for a person, each with a link. Days are UTC days.
 */
@Controller
class OverviewPage {

    private static final int RATE_DAYS = 30;
    /** How long the overview's figures are kept before they are computed again (a "refresh" link forces it). */
    private static final Duration KEPT = Duration.ofMinutes(1);

    /** One thing that needs a person: how many, what, and where to look. */
    public record Attention(String what, long count, String link) {
    }

    /** Where applied spend stands in its lifecycle. */
    public enum SpendState {
        NOT_INVOICED("not invoiced"), AWAITING_APPROVAL("awaiting approval"), APPROVED("approved"), DENIED("denied");

        private final String label;

        SpendState(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Outstanding spend of one lifecycle state in one currency. */
    public record Spend(SpendState state, Money total, long items) {
    }

    private final IngestQueries ingest;
    private final FinanceReports reports;
    private final Deliveries deliveries;
    private final NearDuplicates nearDuplicates;
    private final ConsoleText text;
    private final Clock clock;

    OverviewPage(IngestQueries ingest, FinanceReports reports, Deliveries deliveries, NearDuplicates nearDuplicates,
                 ConsoleText text, Clock clock) {
        this.nearDuplicates = nearDuplicates;
        this.ingest = ingest;
        this.reports = reports;
        this.deliveries = deliveries;
        this.text = text;
        this.clock = clock;
    }

    /** Everything the overview shows, computed at once and kept a minute (the queries read big tables). */
    public record Figures(Instant at, LocalDate today, Map<FileStatus, Long> receiptsToday, Map<FileStatus, Long> receiptsMonth,
                   FinanceReports.MatchRate outcomesToday, FinanceReports.MatchRate outcomesMonth, BarChart matchRate,
                   Map<Currency, BarChart> spend, List<Attention> attention) {
    }

    private final AtomicReference<Figures> cached = new AtomicReference<>();

    @GetMapping("/console")
    String overview(@RequestParam(defaultValue = "false") boolean refresh, Model model) {
        Instant now = clock.instant();
        Figures figures = cached.get();
        if (refresh || figures == null || figures.at().isBefore(now.minus(KEPT))) {
            figures = figures(now);
            cached.set(figures);
        }
        model.addAttribute("figures", figures);
        return "console/overview";
    }

    private Figures figures(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime dayStart = today.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime monthStart = today.withDayOfMonth(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = dayStart.plusDays(1);

        List<FinanceReports.DailyMatchRate> days = reports.dailyMatchRate(today.minusDays(RATE_DAYS - 1), today,
                ZoneOffset.UTC);
        BarChart matchRate = BarChart.ofShares(days.stream().map(day -> new BarChart.Value(
                day.day().format(DateTimeFormatter.ofPattern("MM-dd")),
                day.matchRate() == null ? "no attempts" : text.percent(day.matchRate()) + " of " + day.attempts(),
                day.matchRate())).toList());

        Map<Currency, BarChart> spend = new LinkedHashMap<>();
        outstandingByState(reports.outstanding(now.atOffset(ZoneOffset.UTC))).forEach((currency, states) ->
                spend.put(currency, BarChart.of(states.stream().map(state -> new BarChart.Value(state.state().label(),
                        text.money(state.total()) + " (" + state.items() + " items)", state.total().amount()))
                        .toList())));

        Instant since = now.minus(Duration.ofDays(FilePages.LATEST_DAYS));
        IngestQueries.Attention ingestAttention = ingest.attention(since);
        List<Attention> attention = new ArrayList<>();
        attention.add(new Attention("files refused whole (FAILED)", ingestAttention.failedFiles(),
                "/console/files?status=FAILED"));
        attention.add(new Attention("records still at ERROR (last 30 days)", ingestAttention.errorRecords(),
                "/console/attempts?outcome=ERROR&latest=true"));
        attention.add(new Attention("records still at CONFLICT (last 30 days)", ingestAttention.conflictRecords(),
                "/console/attempts?outcome=CONFLICT&latest=true"));
        attention.add(new Attention("near-duplicates waiting for review", nearDuplicates.pending(),
                "/console/review"));
        attention.add(new Attention("deliveries FAILED", deliveries.count(DeliveryStatus.FAILED),
                "/console/deliveries?status=FAILED"));
        FinanceReports.Reconciliation month = reports.reconciliation(monthStart, end);
        attention.add(new Attention("receipts nobody is finishing (this month)", month.receipts().stuck(),
                "/console/reports?from=" + monthStart.toLocalDate() + "&to=" + today + "#reconciliation"));
        attention.add(new Attention("messages in the SQS dead-letter queue", month.receipts().deadLetters(),
                "/console/dead-letters"));
        attention.add(new Attention("unexplained in this month's reconciliation (records, items, invoices)",
                month.records().unexplained() + month.items().unexplained() + month.invoices().unexplained(),
                "/console/reports?from=" + monthStart.toLocalDate() + "&to=" + today + "#reconciliation"));
        return new Figures(now, today, ingest.receipts(dayStart.toInstant(), end.toInstant()),
                ingest.receipts(monthStart.toInstant(), end.toInstant()), reports.matchRate(dayStart, end, null),
                reports.matchRate(monthStart, end, null), matchRate, spend, attention);
    }

    /** The customers' outstanding amounts summed per currency and state, in lifecycle order. */
    static Map<Currency, List<Spend>> outstandingByState(List<Outstanding> outstanding) {
        Map<Currency, Map<SpendState, Spend>> sums = new LinkedHashMap<>();
        for (Outstanding customer : outstanding) {
            Currency currency = Currency.getInstance(customer.currency());
            Map<SpendState, Spend> states = sums.computeIfAbsent(currency, c -> {
                Map<SpendState, Spend> empty = new EnumMap<>(SpendState.class);
                for (SpendState state : SpendState.values()) {
                    empty.put(state, new Spend(state, Money.zero(c), 0));
                }
                return empty;
            });
            add(states, SpendState.NOT_INVOICED, customer.notInvoiced());
            add(states, SpendState.AWAITING_APPROVAL, customer.awaitingApproval());
            add(states, SpendState.APPROVED, customer.approved());
            add(states, SpendState.DENIED, customer.denied());
        }
        Map<Currency, List<Spend>> result = new LinkedHashMap<>();
        sums.forEach((currency, states) -> result.put(currency, List.copyOf(states.values())));
        return result;
    }

    private static void add(Map<SpendState, Spend> states, SpendState state, Amount amount) {
        Spend sum = states.get(state);
        states.put(state, new Spend(state, sum.total().plus(amount.total()), sum.items() + amount.items()));
    }
}
