package com.invoicehub.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.UnfinishedReceipts;
import com.invoicehub.platform.DatabaseAvailability;
import com.invoicehub.reporting.FinanceReports.Reconciliation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the console's overview shows under "attention" for the current month (UTC), for Prometheus:
 * {@code hub_ingest_receipts_stuck}, the month's receipts nobody is finishing (the reconciliation's definition,
 * {@link UnfinishedReceipts}), and {@code hub_reconciliation_unexplained{account}}, the month's reconciliation's
 * unexplained count per account (records, items, invoices, receipts). Both read big tables, so they are computed in
 * the background (stuck receipts every {@code hub.metrics.stuck-receipts-interval}, the reconciliation every
 * {@code hub.metrics.reconciliation-interval}) and a scrape only reads the last reading. While the database check
 * says the database is down no refresh is tried (it would wait for the pool); a reading older than three intervals is
 * NaN. Every node computes its own: the figures are the same on all, so alerts take the max.
 */
@Component
class ReconciliationMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationMetrics.class);

    /** How many refresh intervals a reading stays true enough to report (one or two failed refreshes are kept). */
    private static final int INTERVALS_KEPT = 3;

    /** Each account of the reconciliation, by the name of its tag. */
    private static final Map<String, ToLongFunction<Reconciliation>> ACCOUNTS = Map.of(
            "records", reconciliation -> reconciliation.records().unexplained(),
            "items", reconciliation -> reconciliation.items().unexplained(),
            "invoices", reconciliation -> reconciliation.invoices().unexplained(),
            "receipts", reconciliation -> reconciliation.receipts().unexplained());

    /** A window of UTC days [from, to). */
    record Month(OffsetDateTime from, OffsetDateTime to) {

        /** The calendar month (UTC) that holds {@code now}, as the console's overview and reports page read it. */
        static Month of(Instant now) {
            LocalDate first = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
            return new Month(first.atStartOfDay().atOffset(ZoneOffset.UTC),
                    first.plusMonths(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        }
    }

    private final UnfinishedReceipts unfinishedReceipts;
    private final FinanceReports reports;
    private final DatabaseAvailability database;
    private final Clock clock;
    private final Duration stuckInterval;
    private final Duration reconciliationInterval;
    private final LastReading<List<Long>> stuck;
    private final LastReading<Reconciliation> reconciliation;
    private ScheduledExecutorService refresher;

    ReconciliationMetrics(UnfinishedReceipts unfinishedReceipts, FinanceReports reports, DatabaseAvailability database,
                          Clock clock, MeterRegistry meters,
                          @Value("${hub.metrics.stuck-receipts-interval:PT1M}") Duration stuckInterval,
                          @Value("${hub.metrics.reconciliation-interval:PT5M}") Duration reconciliationInterval) {
        this.unfinishedReceipts = unfinishedReceipts;
        this.reports = reports;
        this.database = database;
        this.clock = clock;
        this.stuckInterval = stuckInterval;
        this.reconciliationInterval = reconciliationInterval;
        this.stuck = new LastReading<>("the month's stuck receipts", stuckInterval.multipliedBy(INTERVALS_KEPT), clock);
        this.reconciliation = new LastReading<>("the month's reconciliation",
                reconciliationInterval.multipliedBy(INTERVALS_KEPT), clock);
        Gauge.builder("hub.ingest.receipts.stuck", () -> stuck.gauge(List::size))
                .description("Receipts of this month (UTC) unfinished with nobody finishing them (the "
                        + "reconciliation's stuck receipts); NaN when unknown")
                .register(meters);
        ACCOUNTS.forEach((account, unexplained) ->
                Gauge.builder("hub.reconciliation.unexplained", () -> reconciliation.gauge(unexplained::applyAsLong))
                        .tag("account", account)
                        .description("Unexplained in this month's (UTC) reconciliation, per account; NaN when unknown")
                        .register(meters));
    }

    void refreshStuck() {
        if (databaseAnswers()) {
            Month month = Month.of(clock.instant());
            stuck.refresh(() -> unfinishedReceipts.unaccounted(month.from().toInstant(), month.to().toInstant()));
        }
    }

    void refreshReconciliation() {
        if (databaseAnswers()) {
            Month month = Month.of(clock.instant());
            reconciliation.refresh(() -> reports.reconciliation(month.from(), month.to()));
        }
    }

    /** Not tried while the database is down: the refresh would only wait for the pool and fail. */
    private boolean databaseAnswers() {
        if (!database.isAvailable()) {
            log.debug("Reconciliation metrics not refreshed: the database does not answer");
            return false;
        }
        return true;
    }

    @Override
    public synchronized void start() {
        if (refresher != null) {
            return;
        }
        // A thread for each figure: a slow reconciliation never delays the count of stuck receipts.
        AtomicInteger threads = new AtomicInteger();
        refresher = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "reconciliation-metrics-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshStuck, 0, stuckInterval.toMillis(), TimeUnit.MILLISECONDS);
        refresher.scheduleWithFixedDelay(this::refreshReconciliation, 0, reconciliationInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (refresher != null) {
            refresher.shutdownNow(); // a refresh in progress only reads; nothing is left half done
            refresher = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return refresher != null;
    }
}
