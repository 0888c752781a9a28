package com.invoicehub.delivery;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import com.invoicehub.customers.Customer;
import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.delivery.DeliveryChannel.Kind;
import com.invoicehub.delivery.DeliveryChannel.PendingDelivery;
import com.invoicehub.invoicing.InvoiceApproved;
import com.invoicehub.invoicing.InvoiceFetchedByCustomer;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.platform.DatabaseAvailability;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.NodeIdentity;
import com.invoicehub.platform.SendDeadline;
import com.invoicehub.platform.audit.AuditLog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The delivery outbox. Approval writes one delivery per channel the customer chose, in the approving transaction.
 * {@link #sendDue()} (routes/delivery/deliveries.yaml, on every node) claims due ones with a lease
 * ({@code for update skip locked}) and hands each to a bounded pool of workers ({@code hub.delivery.workers}), which
 * sends it outside any transaction, then records the try. Every send, whatever its channel, has a hard overall deadline
 * ({@code hub.delivery.send-deadline}, {@link SendDeadline}): past it the send is abandoned, its lease no longer renewed,
 * and a retryable failure recorded. While a send is in flight its lease is renewed every quarter lease (one statement
 * for all of the node's sends); the try is recorded only if the claim is still this one (otherwise the attempt is kept,
 * the state is left to the claim's current owner). A node that dies
 * between sending and recording leaves the lease to expire; another node sends again with the same message id, so the
 * receiver dedups. Network errors, 5xx and 429 are retried on the configured schedule with jitter; after the last try,
 * or on a refusal, the delivery is FAILED, listed for ops and retried by hand. The invoice becomes DELIVERED when all
 * its deliveries are sent.
 */
@Component("deliveryOutbox")
public class DeliveryOutbox {

    /** The webhook channel cuts its own exchange at the deadline and reports the status it had; it gets this long. */
    private static final Duration CHANNEL_SLACK = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(DeliveryOutbox.class);

    private final JdbcClient jdbc;
    /** For lease renewals only: with a statement timeout shorter than the beat, so renewals never pile up. */
    private final JdbcClient renewals;
    private final TransactionTemplate transaction;
    private final Map<Kind, DeliveryChannel> channels = new EnumMap<>(Kind.class);
    private final Invoices invoices;
    private final AuditLog audit;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final RetrySchedule retries;
    private final MeterRegistry meters;
    private final int workerCount;
    private final ExecutorService workers;
    private final Duration sendDeadline;
    private final SendDeadline sends;
    private final ScheduledExecutorService heartbeat;
    /** The deliveries whose leases this node renews (sends in flight), by id, with the claim each was sent under. */
    private final Map<Long, String> inFlight = new ConcurrentHashMap<>();
    private final CustomerRegistry customers;
    /** Workers taken (a send, or the recording of one); a send given up at its deadline frees its worker. */
    private final AtomicInteger busyWorkers = new AtomicInteger();

    DeliveryOutbox(JdbcClient jdbc, DataSource dataSource, TransactionTemplate transaction,
                   List<DeliveryChannel> channels, Invoices invoices, CustomerRegistry customers, AuditLog audit,
                   Clock clock, NodeIdentity node, HubProperties hub, MeterRegistry meters,
                   DatabaseAvailability database) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.transaction = transaction;
        channels.forEach(channel -> this.channels.put(channel.channel(), channel));
        this.invoices = invoices;
        this.audit = audit;
        this.clock = clock;
        this.node = node.id();
        this.lease = hub.delivery().lease();
        this.retries = new RetrySchedule(hub.delivery().retryDelays(), hub.delivery().jitter());
        this.meters = meters;
        this.workerCount = hub.delivery().workers();
        Duration deadline = hub.delivery().sendDeadline();
        this.sendDeadline = deadline;
        if (workerCount < 1 || deadline == null || lease.compareTo(deadline.plus(CHANNEL_SLACK)) <= 0) {
            throw new IllegalStateException("hub.delivery: workers (" + workerCount + ") must be at least 1 and the "
                    + "lease (" + lease + ") longer than the send deadline (" + deadline + ") and a second");
        }
        // Twice the workers: a send past its deadline may hold its thread a while longer (until the channel's own
        // timeouts end it), while the worker goes on with the next delivery.
        this.sends = new SendDeadline("delivery-send", deadline, CHANNEL_SLACK, 2 * workerCount);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerCount, runnable -> {
            Thread thread = new Thread(runnable, "delivery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "delivery-leases");
            thread.setDaemon(true);
            return thread;
        });
        long beat = Math.max(1, lease.toMillis() / 4);
        JdbcTemplate renewing = new JdbcTemplate(dataSource);
        renewing.setQueryTimeout((int) Math.max(1, beat / 2000)); // seconds: JDBC has no finer unit
        this.renewals = JdbcClient.create(new NamedParameterJdbcTemplate(renewing));
        heartbeat.scheduleWithFixedDelay(this::renewLeases, beat, beat, TimeUnit.MILLISECONDS);
        Gauge.builder("hub.deliveries.failed", () -> database.readingOrNaN(() -> jdbc.sql(
                                "select count(*) from deliveries where status = 'FAILED'").query(Long.class).single()))
                .description("Deliveries that gave up and wait for ops (POST /api/v1/deliveries/{id}/retry)")
                .register(meters);
    }

    /** A channel the customer chose, and whom it reaches there. */
    private record Chosen(DeliveryChannel.Kind channel, String recipient) {
    }

    /** One delivery per chosen channel; a customer that chose none fetches the invoice by API. */
    @EventListener
    void onApproved(InvoiceApproved approved) {
        Customer customer = customers.get(approved.customerId());
        Customer.Delivery delivery = customer.delivery();
        List<Chosen> chosen = new ArrayList<>();
        if (delivery.email() && customer.billingEmails() != null && !customer.billingEmails().isEmpty()) {
            chosen.add(new Chosen(DeliveryChannel.Kind.EMAIL, String.join(",", customer.billingEmails())));
        }
        if (delivery.webhookUrl() != null && delivery.webhookEnabled()) {
            chosen.add(new Chosen(DeliveryChannel.Kind.WEBHOOK, delivery.webhookUrl()));
        }
        if (delivery.edi() != null && delivery.edi().host() != null) {
            chosen.add(new Chosen(DeliveryChannel.Kind.EDI, delivery.edi().host() + ":" + delivery.edi().folder()));
        }
        if (chosen.isEmpty()) {
            chosen.add(new Chosen(DeliveryChannel.Kind.API, "customer API key"));
        }
        Timestamp now = Timestamp.from(clock.instant());
        for (Chosen channel : chosen) {
            jdbc.sql("""
                            insert into deliveries (invoice_id, channel, status, message_id, recipient, next_attempt_at,
                                                    created_at, updated_at)
                            values (:invoice, :channel, 'PENDING', :message, :recipient, :now, :now, :now)
                            on conflict (invoice_id, channel) do nothing""")
                    .param("invoice", approved.invoiceId()).param("channel", channel.channel().name())
                    .param("message", "msg_inv" + approved.invoiceId() + "_" + channel.channel().name().toLowerCase() + "_"
                            + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                    .param("recipient", channel.recipient()).param("now", now).update();
        }
        audit.record("delivery.scheduled", "invoice", Long.toString(approved.invoiceId()), null,
                Map.of("channels", chosen.stream().map(c -> c.channel().name()).toList()));
    }

    /**
     * Claims as many due deliveries as there are idle workers and hands each to a worker; answers how many were
     * started. Never waits for a send: a slow receiver holds one worker, never this loop or the other deliveries.
     */
    public int sendDue() {
        int idle = workerCount - busyWorkers.get();
        if (idle <= 0) {
            return 0;
        }
        List<PendingDelivery> claimed = claim(Math.min(idle, 10));
        for (PendingDelivery delivery : claimed) {
            inFlight.put(delivery.id(), delivery.leaseOwner());
            busyWorkers.incrementAndGet();
            try {
                workers.execute(() -> {
                    try {
                        deliver(delivery);
                    } finally {
                        inFlight.remove(delivery.id());
                        busyWorkers.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                inFlight.remove(delivery.id());
                busyWorkers.decrementAndGet();
                release(delivery);
            }
        }
        return claimed.size();
    }

    /**
     * The heartbeat: extends the lease of every delivery this node is sending, so a send that is slow (but within
     * its deadline) is never taken over and sent again by another node. One statement for all of them, each matched
     * with the claim it was sent under; it gives up after half a beat, so a slow database delays the next beat
     * instead of stacking renewals behind each other (a lease missed once still has three quarters to run).
     */
    void renewLeases() {
        List<Map.Entry<Long, String>> held = List.copyOf(inFlight.entrySet());
        if (held.isEmpty()) {
            return;
        }
        try {
            renewals.sql("""
                            update deliveries d set lease_until = :until
                            from unnest(:ids, :owners) as held(id, owner)
                            where d.id = held.id and d.lease_owner = held.owner and d.status = 'PENDING'""")
                    .param("until", Timestamp.from(clock.instant().plus(lease)))
                    .param("ids", new SqlArrayValue("bigint", held.stream().map(Map.Entry::getKey).toArray()))
                    .param("owners", new SqlArrayValue("text", held.stream().map(Map.Entry::getValue).toArray()))
                    .update();
        } catch (RuntimeException e) {
            log.warn("Could not renew the leases of deliveries {}: {}", held.stream().map(Map.Entry::getKey).toList(),
                    e.getMessage());
        }
    }

    private void release(PendingDelivery delivery) {
        jdbc.sql("update deliveries set lease_owner = null, lease_until = null where id = :id and lease_owner = :owner")
                .param("id", delivery.id()).param("owner", delivery.leaseOwner()).update();
    }

    /**
     * Lets the sends in flight finish and be recorded (within one send deadline), renewing their leases meanwhile, so
     * a stop does not leave them to another node to send again; only then stops the heartbeat.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(sendDeadline.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                log.warn("Deliveries still in flight at shutdown are left to their leases");
            }
        } finally {
            heartbeat.shutdownNow();
            sends.shutdown();
        }
    }

    /** Takes a lease on up to {@code limit} due deliveries (pushed channels only). */
    List<PendingDelivery> claim(int limit) {
        Instant now = clock.instant();
        String owner = node + "/" + UUID.randomUUID().toString().substring(0, 8);
        return jdbc.sql("""
                        update deliveries d set lease_owner = :node, lease_until = :until, updated_at = :now
                        from invoices i
                        where d.id in (select id from deliveries
                                       where status = 'PENDING' and channel <> 'API' and next_attempt_at <= :now
                                         and (lease_until is null or lease_until < :now)
                                       order by next_attempt_at, id limit :limit
                                       for update skip locked)
                          and i.id = d.invoice_id
                        returning d.id, d.invoice_id, i.customer_id, d.channel, d.message_id, d.attempt_count""")
                .param("node", owner).param("until", Timestamp.from(now.plus(lease)))
                .param("now", Timestamp.from(now)).param("limit", limit)
                .query((rs, n) -> new PendingDelivery(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        Kind.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6), owner))
                .list();
    }

    void deliver(PendingDelivery delivery) {
        SendResult result;
        try {
            result = sends.call(() -> channels.get(delivery.channel()).send(delivery));
        } catch (SendDeadline.NoAnswerException e) {
            // Abandoned: its lease is renewed no more, so if the try cannot be recorded either, another node takes the
            // delivery over after the lease (with the same message id).
            inFlight.remove(delivery.id());
            log.warn("Delivery {} ({}) abandoned: {}", delivery.id(), delivery.channel(), e.getMessage());
            result = new SendResult.Retry(e.getMessage(), null, null);
        } catch (RuntimeException e) {
            log.warn("Delivery {} ({}) failed unexpectedly", delivery.id(), delivery.channel(), e);
            result = new SendResult.Retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
        }
        record(delivery, result);
    }

    private void record(PendingDelivery delivery, SendResult result) {
        Instant now = clock.instant();
        int attempts = delivery.attemptCount() + 1;
        Optional<Duration> retryAfter = result instanceof SendResult.Retry retry
                ? retries.afterTry(attempts, retry.notBefore(), ThreadLocalRandom.current()::nextDouble)
                : Optional.empty();
        DeliveryStatus status;
        Instant next = null;
        String error = null;
        String outcome;
        if (result instanceof SendResult.Sent) {
            status = DeliveryStatus.SENT;
            outcome = "sent";
        } else if (retryAfter.isPresent()) {
            status = DeliveryStatus.PENDING;
            outcome = "retry";
            next = now.plus(retryAfter.get());
            error = result.detail();
        } else {
            status = DeliveryStatus.FAILED;
            outcome = "failed";
            error = result instanceof SendResult.Retry ? "gave up after " + attempts + " tries; last: "
                    + result.detail() : result.detail();
        }
        DeliveryStatus finalStatus = status;
        Instant nextAttempt = next;
        String lastError = error;
        Boolean owned = transaction.execute(tx -> {
            jdbc.sql("""
                            insert into delivery_attempts (delivery_id, at, result, http_status, error)
                            values (:id, :at, :result, :http, :error)""")
                    .param("id", delivery.id()).param("at", Timestamp.from(now))
                    .param("result", (result instanceof SendResult.Sent ? Delivery.Attempt.Result.SENT
                            : Delivery.Attempt.Result.FAILED).name())
                    .param("http", result.httpStatus())
                    .param("error", result instanceof SendResult.Sent ? null : result.detail()).update();
            int updated = jdbc.sql("""
                            update deliveries set status = :status, attempt_count = :attempts,
                                   next_attempt_at = :next, last_error = :error, lease_owner = null,
                                   lease_until = null, updated_at = :now
                            where id = :id and status = 'PENDING' and lease_owner = :owner""")
                    .param("id", delivery.id()).param("status", finalStatus.name()).param("attempts", attempts)
                    .param("next", nextAttempt == null ? null : Timestamp.from(nextAttempt))
                    .param("error", lastError).param("now", Timestamp.from(now))
                    .param("owner", delivery.leaseOwner()).update();
            if (updated == 0) {
                // The claim is no longer this node's (its lease ran out and another node took the delivery, or ops
                // changed it): the try is on record above, the delivery's state belongs to its current owner.
                return false;
            }
            if (finalStatus != DeliveryStatus.PENDING) {
                audit.record("delivery." + finalStatus.name().toLowerCase(), "delivery", Long.toString(delivery.id()),
                        Map.of("status", DeliveryStatus.PENDING), Map.of("status", finalStatus, "channel",
                                delivery.channel().name(), "attempts", attempts,
                                "error", lastError == null ? "" : lastError));
            }
            if (finalStatus == DeliveryStatus.SENT) {
                markDeliveredWhenAllSent(delivery.invoiceId());
            }
            return true;
        });
        if (!Boolean.TRUE.equals(owned)) {
            log.warn("Delivery {} ({}): {} recorded as a try only; its claim had passed to another node",
                    delivery.id(), delivery.channel(), outcome);
            return;
        }
        Counter.builder("hub.deliveries").description("Delivery tries by channel and outcome")
                .tag("channel", delivery.channel().name()).tag("outcome", outcome).register(meters).increment();
        if (finalStatus == DeliveryStatus.FAILED) {
            log.warn("Delivery {} of invoice {} by {} FAILED: {}", delivery.id(), delivery.invoiceId(),
                    delivery.channel(), lastError);
        }
    }

    private void markDeliveredWhenAllSent(long invoiceId) {
        // Locks the invoice's deliveries so two channels finishing at once see each other's result.
        List<DeliveryStatus> statuses = jdbc.sql("select status from deliveries where invoice_id = :id for update")
                .param("id", invoiceId).query(String.class).list().stream().map(DeliveryStatus::valueOf).toList();
        if (statuses.stream().allMatch(DeliveryStatus.SENT::equals)) {
            invoices.markDelivered(invoiceId);
        }
    }

    /** Ops sends a FAILED delivery again: a fresh round of tries, with the same message id. */
    @Transactional
    public void retry(long deliveryId) {
        DeliveryStatus status = jdbc.sql("select status from deliveries where id = :id for update")
                .param("id", deliveryId).query(String.class).optional().map(DeliveryStatus::valueOf)
                .orElseThrow(() -> new DeliveryNotFound(deliveryId));
        if (status != DeliveryStatus.FAILED) {
            throw new DeliveryNotFailed(deliveryId, status);
        }
        jdbc.sql("""
                        update deliveries set status = 'PENDING', attempt_count = 0, next_attempt_at = :now,
                               lease_owner = null, lease_until = null, updated_at = :now
                        where id = :id""")
                .param("id", deliveryId).param("now", Timestamp.from(clock.instant())).update();
        audit.record("delivery.retried", "delivery", Long.toString(deliveryId), Map.of("status", DeliveryStatus.FAILED),
                Map.of("status", DeliveryStatus.PENDING));
    }

    @EventListener
    @Transactional // listeners are called through the proxy; fetchedByCustomer below is a self-call
    public void onFetched(InvoiceFetchedByCustomer fetched) {
        if (fetched.status() == InvoiceStatus.APPROVED) {
            fetchedByCustomer(fetched.invoiceId());
        }
    }

    /** The customer fetched an approved invoice with its key: an API delivery is done. */
    @Transactional
    public void fetchedByCustomer(long invoiceId) {
        Instant now = clock.instant();
        List<Long> sent = jdbc.sql("""
                        update deliveries set status = 'SENT', attempt_count = attempt_count + 1, updated_at = :now
                        where invoice_id = :id and channel = 'API' and status = 'PENDING' returning id""")
                .param("id", invoiceId).param("now", Timestamp.from(now)).query(Long.class).list();
        for (Long id : sent) {
            jdbc.sql("insert into delivery_attempts (delivery_id, at, result, error) values (:id, :at, 'SENT', null)")
                    .param("id", id).param("at", Timestamp.from(now)).update();
            audit.record("delivery.sent", "delivery", Long.toString(id), Map.of("status", DeliveryStatus.PENDING),
                    Map.of("status", DeliveryStatus.SENT, "channel", "API"));
        }
        if (!sent.isEmpty()) {
            markDeliveredWhenAllSent(invoiceId);
        }
    }
}
