package com.invoicehub.invoicing;


import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.customers.CustomerRegistered;
import com.invoicehub.platform.InvalidValue;
import com.invoicehub.platform.audit.AuditLog;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Customers' billing schedules (CONTRACT §6) and the run of every due one: a Quartz route calls {@link #runDue()} on
 * every node; {@link InvoiceRun} makes sure a period is invoiced once, and one customer failing does not stop others
 * (it is counted in {@code hub_invoice_runs_failed_total{customer}} and logged).
 */
@Service("invoiceSchedules")
public class Schedules {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final JdbcClient jdbc;
    private final InvoiceRun run;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Runs of different customers at once: each is its own transaction, mostly waiting on its commit. */
    private final ExecutorService runners;

    Schedules(JdbcClient jdbc, InvoiceRun run, AuditLog audit, Clock clock, MeterRegistry meters,
              @Value("${hub.invoicing.runners:4}") int runners) {
        this.jdbc = jdbc;
        this.run = run;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
        AtomicInteger count = new AtomicInteger();
        this.runners = Executors.newFixedThreadPool(Math.max(1, runners), task -> {
            Thread thread = new Thread(task, "invoice-runner-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        runners.shutdown(); // runs in progress finish; their transactions are short
    }

    private record Row(String customerId, int day, String zone, boolean enabled, LocalDate lastEnd,
                       OffsetDateTime lastRunAt) {
    }

    @EventListener
    void customerRegistered(CustomerRegistered event) {
        jdbc.sql("""
                        insert into billing_schedules (customer_id, day_of_month, time_zone, enabled, updated_at)
                        values (:c, :day, :zone, true, :now) on conflict (customer_id) do nothing""")
                .param("c", event.customerId()).param("day", event.invoiceDay()).param("zone", event.timeZone())
                .param("now", Timestamp.from(clock.instant())).update();
    }

    public List<Schedule> list() {
        return rows(null).stream().map(this::view).toList();
    }

    public Schedule get(String customerId) {
        return rows(customerId).stream().findFirst().map(this::view)
                .orElseThrow(() -> new ScheduleNotFound(customerId));
    }

    @Transactional
    public Schedule change(String customerId, Integer dayOfMonth, String timeZone, Boolean enabled) {
        Schedule before = get(customerId);
        if (dayOfMonth != null && (dayOfMonth < 1 || dayOfMonth > 28)) {
            throw new InvalidValue("dayOfMonth", "must be between 1 and 28");
        }
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new InvalidValue("timeZone", timeZone + " is not a time zone such as America/New_York");
            }
        }
        jdbc.sql("""
                        update billing_schedules set day_of_month = coalesce(:day, day_of_month),
                               time_zone = coalesce(:zone, time_zone), enabled = coalesce(:enabled, enabled),
                               updated_at = :now
                        where customer_id = :c""")
                .param("c", customerId).param("day", dayOfMonth).param("zone", timeZone).param("enabled", enabled)
                .param("now", Timestamp.from(clock.instant())).update();
        Schedule after = get(customerId);
        audit.record("schedule.changed", "schedule", customerId, before, after);
        return after;
    }

    /** Closes the customer's latest closed period now, whatever the schedule says (ops trigger). */
    public InvoiceRun.Result trigger(String customerId) {
        Row row = rows(customerId).stream().findFirst()
                .orElseThrow(() -> new ScheduleNotFound(customerId));
        InvoiceRun.Result result = run.close(customerId,
                BillingPeriod.latestClosed(row.day(), ZoneId.of(row.zone()), clock.instant()));
        audit.record("schedule.triggered", "schedule", customerId, null, Map.of("message", result.message()));
        return result;
    }

    /** Runs every enabled schedule that is due; each customer on its own, a failure parked in the log. */
    public List<InvoiceRun.Result> runDue() {
        List<Future<Optional<InvoiceRun.Result>>> runs = new ArrayList<>();
        // In an order of this node's own: nodes running the same day share the customers instead of queueing behind
        // each other's per-customer lock in the same order.
        List<Row> inNodeOrder = new ArrayList<>(rows(null));
        java.util.Collections.shuffle(inNodeOrder);
        for (Row row : inNodeOrder) {
            if (!row.enabled()) {
                continue;
            }
            ZoneId zone = ZoneId.of(row.zone());
            ZonedDateTime due = BillingPeriod.nextRun(row.day(), zone, row.lastEnd(), clock.instant());
            if (due.toInstant().isAfter(clock.instant())) {
                continue;
            }
            BillingPeriod period = BillingPeriod.latestClosed(row.day(), zone, clock.instant());
            runs.add(runners.submit(() -> closeOne(row.customerId(), period)));
        }
        List<InvoiceRun.Result> results = new ArrayList<>();
        for (Future<Optional<InvoiceRun.Result>> pending : runs) {
            try {
                pending.get().ifPresent(results::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                throw new IllegalStateException("an invoice run failed outside its own handling", e.getCause());
            }
        }
        return results;
    }

    /**
     * One customer's run; its failure is counted, logged and does not stop the others (the next schedule run retries
     * it). Tagged by customer: a customer is a bounded set, and ops need to know whose invoice is late.
     */
    private Optional<InvoiceRun.Result> closeOne(String customerId, BillingPeriod period) {
        try {
            InvoiceRun.Result result = run.close(customerId, period);
            log.info("Invoice run for {} ({} to {}): {}", customerId, result.period().start(), result.period().end(),
                    result.message());
            return Optional.of(result);
        } catch (RuntimeException e) {
            meters.counter("hub.invoice.runs.failed", "customer", customerId).increment();
            log.error("Invoice run for {} failed; the others go on and it is retried on the next run", customerId, e);
            return Optional.empty();
        }
    }

    private Schedule view(Row row) {
        ZoneId zone = ZoneId.of(row.zone());
        return new Schedule(row.customerId(), row.day(), row.zone(), row.enabled(),
                row.enabled() ? BillingPeriod.nextRun(row.day(), zone, row.lastEnd(), clock.instant())
                        .toOffsetDateTime() : null,
                row.lastRunAt());
    }

    private List<Row> rows(String customerId) {
        return jdbc.sql("""
                        select customer_id, day_of_month, time_zone, enabled, last_period_end, last_run_at
                        from billing_schedules where (cast(:c as text) is null or customer_id = :c)
                        order by customer_id""")
                .param("c", customerId)
                .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getBoolean(4),
                        rs.getObject(5, LocalDate.class), rs.getObject(6, OffsetDateTime.class)))
                .list();
    }

}
