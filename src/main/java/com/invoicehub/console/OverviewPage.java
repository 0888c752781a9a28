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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import com.invoicehub.delivery.Deliveries;
import com.invoicehub.delivery.DeliveryStatus;
import com.invoicehub.ingest.DeadLetterCount;
import com.invoicehub.ingest.UnfinishedReceipts;
import com.invoicehub.ingest.lookup.IngestQueries;
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

    /** One thing that needs a person: how many, what, and where to look. */
    public record Attention(String what, long count, String link) {
    }

    /** Outstanding spend of one lifecycle state in one currency. */
    public record Spend(String state, Money total, long items) {
    }

    private final IngestQueries ingest;
    private final FinanceReports reports;
    private final Deliveries deliveries;
    private final DeadLetterCount deadLetters;
    private final UnfinishedReceipts unfinished;
    private final ConsoleText text;
    private final Clock clock;

    OverviewPage(IngestQueries ingest, FinanceReports reports, Deliveries deliveries, DeadLetterCount deadLetters,
                 UnfinishedReceipts unfinished, ConsoleText text, Clock clock) {
        this.ingest = ingest;
        this.reports = reports;
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.unfinished = unfinished;
        this.text = text;
        this.clock = clock;
    }

    @GetMapping("/console")
    String overview(Model model) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime dayStart = today.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime monthStart = today.withDayOfMonth(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = dayStart.plusDays(1);
        model.addAttribute("today", today);
        model.addAttribute("receiptsToday", ingest.receipts(dayStart.toInstant(), end.toInstant()));
        model.addAttribute("receiptsMonth", ingest.receipts(monthStart.toInstant(), end.toInstant()));
        model.addAttribute("outcomesToday", reports.matchRate(dayStart, end, null));
        model.addAttribute("outcomesMonth", reports.matchRate(monthStart, end, null));

        List<FinanceReports.DailyMatchRate> days = reports.dailyMatchRate(today.minusDays(RATE_DAYS - 1), today,
                ZoneOffset.UTC);
        model.addAttribute("matchRate", BarChart.ofShares(days.stream().map(day -> new BarChart.Value(
                day.day().format(DateTimeFormatter.ofPattern("MM-dd")),
                day.matchRate() == null ? "no attempts" : text.percent(day.matchRate()) + " of " + day.attempts(),
                day.matchRate())).toList()));

        Map<Currency, List<Spend>> spend = outstandingByState(reports.outstanding(now.atOffset(ZoneOffset.UTC)));
        Map<Currency, BarChart> spendCharts = new LinkedHashMap<>();
        spend.forEach((currency, states) -> spendCharts.put(currency, BarChart.of(states.stream()
                .map(state -> new BarChart.Value(state.state(), text.money(state.total()) + " (" + state.items()
                        + " items)", state.total().amount())).toList())));
        model.addAttribute("spend", spendCharts);

        Instant since = now.minus(Duration.ofDays(RATE_DAYS));
        IngestQueries.Attention ingestAttention = ingest.attention(since);
        List<Attention> attention = new ArrayList<>();
        attention.add(new Attention("files refused whole (FAILED)", ingestAttention.failedFiles(),
                "/console/files?status=FAILED"));
        attention.add(new Attention("records whose latest attempt is ERROR (last 30 days)",
                ingestAttention.errorRecords(), "/console/attempts?outcome=ERROR"));
        attention.add(new Attention("records whose latest attempt is CONFLICT (last 30 days)",
                ingestAttention.conflictRecords(), "/console/attempts?outcome=CONFLICT"));
        attention.add(new Attention("deliveries FAILED", deliveries.count(DeliveryStatus.FAILED),
                "/console/deliveries?status=FAILED"));
        List<Long> stuck = unfinished.unaccounted(since, now);
        attention.add(new Attention("receipts nobody is finishing (last 30 days)", stuck.size(),
                stuck.isEmpty() ? "/console/files" : "/console/files/" + stuck.get(0)));
        attention.add(new Attention("messages in the SQS dead-letter queue", deadLetterCount(),
                "/api/v1/ingest/dead-letters"));
        FinanceReports.Reconciliation month = reports.reconciliation(monthStart, end);
        attention.add(new Attention("reconciliation differences this month", month.differences().size(),
                "/console/reports?from=" + monthStart.toLocalDate() + "&to=" + today));
        model.addAttribute("attention", attention);
        return "console/overview";
    }

    private long deadLetterCount() {
        try {
            return deadLetters.count();
        } catch (RuntimeException e) {
            return -1; // shown as "could not look"
        }
    }

    /** The customers' outstanding amounts summed per currency and state, in lifecycle order. */
    static Map<Currency, List<Spend>> outstandingByState(List<Outstanding> outstanding) {
        Map<Currency, Map<String, Spend>> sums = new LinkedHashMap<>();
        for (Outstanding customer : outstanding) {
            Currency currency = Currency.getInstance(customer.currency());
            Map<String, Spend> states = sums.computeIfAbsent(currency, c -> {
                Map<String, Spend> empty = new LinkedHashMap<>();
                for (String state : List.of("not invoiced", "awaiting approval", "approved", "denied")) {
                    empty.put(state, new Spend(state, Money.zero(c), 0));
                }
                return empty;
            });
            add(states, "not invoiced", customer.notInvoiced());
            add(states, "awaiting approval", customer.awaitingApproval());
            add(states, "approved", customer.approved());
            add(states, "denied", customer.denied());
        }
        Map<Currency, List<Spend>> result = new LinkedHashMap<>();
        sums.forEach((currency, states) -> result.put(currency, List.copyOf(states.values())));
        return result;
    }

    private static void add(Map<String, Spend> states, String state, Amount amount) {
        Spend sum = states.get(state);
        states.put(state, new Spend(state, sum.total().plus(amount.total()), sum.items() + amount.items()));
    }
}
