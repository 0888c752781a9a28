package com.invoicehub.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.support.SftpSession;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The partners: every unit of the plan is sent at its moment in the feed window, on all four channels at once,
 * and retried as a real partner would (SFTP and S3 uploads until they succeed; webhooks on connection errors, 5xx,
 * 409 and 429 with the same webhook-id, re-signed with a fresh timestamp; SQS sends until the queue takes them).
 * Every retry loop is bounded by a deadline.
 */
final class Feeders {

    record PartnerCredentials(String id, String apiKey, String signingSecret, String sftpPassword) {
    }

    private final SharedInfrastructure infra;
    private final List<HubNode> nodes;
    private final Map<String, PartnerCredentials> partners;
    private final HubHttp http;
    private final BooleanSupplier databaseDown;
    private final Instant deadline;
    private final ScheduledExecutorService pool = new ScheduledThreadPoolExecutor(10);
    private final AtomicInteger pending = new AtomicInteger();
    private final Map<String, java.util.Queue<Runnable>> reserve = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<Runnable>> aimed = new ConcurrentHashMap<>();
    private final SuiteLog log;

    final AtomicInteger sftpUploaded = new AtomicInteger();
    final AtomicInteger sftpRetries = new AtomicInteger();
    final AtomicInteger s3Uploaded = new AtomicInteger();
    final AtomicInteger webhooksAnswered = new AtomicInteger();
    final AtomicInteger webhookRetries = new AtomicInteger();
    final AtomicInteger sqsSent = new AtomicInteger();
    /** Webhook answers by status ("refused" for a connection error), and those while PostgreSQL was down. */
    final Map<String, AtomicInteger> webhookStatuses = new ConcurrentSkipListMap<>();
    final Map<String, AtomicInteger> webhookStatusesDuringOutage = new ConcurrentSkipListMap<>();
    final AtomicInteger webhook503WithoutRetryAfter = new AtomicInteger();
    final Map<String, AtomicInteger> outcomesAnswered = new ConcurrentHashMap<>();
    final List<String> gaveUp = new CopyOnWriteArrayList<>();
    /** Keys of the units a sender gave up on (refused for good, or never accepted before the deadline). */
    final java.util.Set<String> keysNotAccepted = ConcurrentHashMap.newKeySet();

    Feeders(SharedInfrastructure infra, List<HubNode> nodes, Map<String, PartnerCredentials> partners, HubHttp http,
            BooleanSupplier databaseDown, Instant deadline, SuiteLog log) {
        this.infra = infra;
        this.nodes = nodes;
        this.partners = partners;
        this.http = http;
        this.databaseDown = databaseDown;
        this.deadline = deadline;
        this.log = log;
    }

    /**
     * Sends the plan: the first part of each channel's units spread over the window, the rest held back as a
     * reserve that the faults release in bursts just before a kill aimed at that channel (so there is work of it in
     * flight whatever the machine's speed), and that {@link #releaseAll} sends at the end.
     */
    void start(TrafficPlan plan, Duration window, double reserveShare) {
        spread("SFTP", plan.sftpFiles, window, reserveShare, this::sftp);
        spread("S3", plan.s3Files, window, reserveShare, this::s3);
        spread("WEBHOOK", plan.webhooks, window, reserveShare, this::webhook);
        spread("SQS", plan.sqsInSendingOrder(), window, reserveShare, this::sqs);
        hold("SFTP", plan.sftpAimFiles, this::sftp);
        hold("S3", plan.s3AimFiles, this::s3);
    }

    /** Units sent only when a kill aims at their channel ({@link #releaseAimed}), or by {@link #releaseAll}. */
    private <T> void hold(String channel, List<T> units, java.util.function.Consumer<T> send) {
        java.util.Queue<Runnable> held = aimed.computeIfAbsent(channel, c -> new java.util.concurrent.ConcurrentLinkedQueue<>());
        for (T unit : units) {
            pending.incrementAndGet();
            held.add(() -> {
                try {
                    send.accept(unit);
                } catch (RuntimeException e) {
                    gaveUp.add(unit + ": " + e);
                } finally {
                    pending.decrementAndGet();
                }
            });
        }
    }

    /** Sends one unit held for aimed kills of the channel (else an ordinary held-back one); answers whether any. */
    boolean releaseAimed(String channel) {
        Runnable task = aimed.getOrDefault(channel, new java.util.LinkedList<>()).poll();
        if (task == null) {
            return release(channel, 1) == 1;
        }
        pool.execute(task);
        return true;
    }

    private <T> void spread(String channel, List<T> units, Duration window, double reserveShare,
                            java.util.function.Consumer<T> send) {
        int regular = units.size() - (int) Math.floor(units.size() * reserveShare);
        java.util.Queue<Runnable> held = reserve.computeIfAbsent(channel, c -> new java.util.concurrent.ConcurrentLinkedQueue<>());
        for (int i = 0; i < units.size(); i++) {
            T unit = units.get(i);
            pending.incrementAndGet();
            Runnable task = () -> {
                try {
                    send.accept(unit);
                } catch (RuntimeException e) {
                    gaveUp.add(unit + ": " + e);
                } finally {
                    pending.decrementAndGet();
                }
            };
            if (i < regular) {
                pool.schedule(task, window.toMillis() * i / Math.max(1, regular), TimeUnit.MILLISECONDS);
            } else {
                held.add(task);
            }
        }
    }

    /** Sends up to {@code count} held-back units of the channel now; answers how many. */
    int release(String channel, int count) {
        java.util.Queue<Runnable> held = reserve.getOrDefault(channel, new java.util.LinkedList<>());
        int released = 0;
        for (Runnable task; released < count && (task = held.poll()) != null; released++) {
            pool.execute(task);
        }
        return released;
    }

    void releaseAll() {
        for (String channel : reserve.keySet()) {
            release(channel, Integer.MAX_VALUE);
        }
        for (java.util.Queue<Runnable> held : aimed.values()) {
            for (Runnable task; (task = held.poll()) != null; ) {
                pool.execute(task);
            }
        }
    }

    int pending() {
        return pending.get();
    }

    boolean awaitDone(Instant until) throws InterruptedException {
        while (pending.get() > 0 && Instant.now().isBefore(until)) {
            Thread.sleep(500);
        }
        return pending.get() == 0;
    }

    void shutdown() {
        pool.shutdownNow();
    }

    private void sftp(TrafficPlan.FileUnit file) {
        PartnerCredentials partner = partners.get(file.partnerId());
        byte[] bytes = file.csv();
        // As behind the production load balancer: any node's server, another one after a failure.
        int first = Math.floorMod(file.name().hashCode(), nodes.size());
        for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
            HubNode node = nodes.get((first + attempt) % nodes.size());
            try (SftpSession session = SftpSession.withPassword(node.sftpPort,
                    infra.partnerSftpHostKeyFingerprint(), partner.id(), partner.sftpPassword())) {
                String part = "inbox/" + file.name() + ".part";
                try (OutputStream out = session.sftp().write(part)) {
                    out.write(bytes);
                }
                session.sftp().rename(part, "inbox/" + file.name());
                sftpUploaded.incrementAndGet();
                return;
            } catch (IOException | RuntimeException e) {
                sftpRetries.incrementAndGet();
                if (attempt == 0 || attempt % 10 == 0) {
                    log.line("SFTP upload of " + file.name() + " failed (" + e.getMessage() + "), retrying");
                }
                backoff(attempt);
            }
        }
        gaveUp.add("SFTP " + file.name());
        file.rows().forEach(i -> keysNotAccepted.add(i.key()));
    }

    private void s3(TrafficPlan.FileUnit file) {
        byte[] bytes = file.csv();
        for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
            try {
                infra.s3.putObject(b -> b.bucket(SharedInfrastructure.DROP_BUCKET)
                        .key(file.partnerId() + "/" + file.name()), RequestBody.fromBytes(bytes));
                s3Uploaded.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                log.line("S3 upload of " + file.name() + " failed (" + e.getMessage() + "), retrying");
                backoff(attempt);
            }
        }
        gaveUp.add("S3 " + file.name());
        file.rows().forEach(i -> keysNotAccepted.add(i.key()));
    }

    private void webhook(TrafficPlan.MessageUnit message) {
        PartnerCredentials partner = partners.get(message.partnerId());
        byte[] body = message.json();
        int first = Math.floorMod(message.id().hashCode(), nodes.size());
        for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
            HubNode node = nodes.get((first + attempt) % nodes.size());
            long timestamp = Instant.now().getEpochSecond();
            boolean outage = databaseDown.getAsBoolean();
            String status;
            boolean retry;
            String retryAfter = null;
            try {
                HubHttp.Response answer = http.send(node.port, "POST",
                        "/api/v1/partners/" + partner.id() + "/line-items", body, Map.of(
                                "Authorization", "Bearer " + partner.apiKey(),
                                "Content-Type", "application/json",
                                "webhook-id", message.id(),
                                "webhook-timestamp", Long.toString(timestamp),
                                "webhook-signature", StandardWebhooks.sign(partner.signingSecret(), message.id(),
                                        timestamp, body)),
                        Duration.ofSeconds(45));
                status = Integer.toString(answer.status());
                retryAfter = answer.retryAfter();
                if (answer.status() == 503 && answer.retryAfter() == null) {
                    webhook503WithoutRetryAfter.incrementAndGet();
                }
                retry = answer.status() >= 500 || answer.status() == 409 || answer.status() == 429;
                if (answer.ok()) {
                    countOutcomes(answer.body());
                } else if (!retry) {
                    log.line("webhook " + message.id() + " refused for good: " + answer.status() + " " + answer.body());
                }
            } catch (IOException e) {
                status = "refused";
                retry = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gaveUp.add("webhook " + message.id() + " (interrupted)");
                return;
            }
            webhookStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (outage || databaseDown.getAsBoolean()) {
                webhookStatusesDuringOutage.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            }
            if (!retry) {
                if (status.startsWith("2")) {
                    webhooksAnswered.incrementAndGet();
                } else {
                    gaveUp.add("webhook " + message.id() + " answered " + status + " by " + node.nodeId());
                    message.items().forEach(i -> keysNotAccepted.add(i.key()));
                }
                return;
            }
            webhookRetries.incrementAndGet();
            if (retryAfter != null && retryAfter.matches("\\d{1,3}")) {
                pause(Math.min(8000, 1000L * Integer.parseInt(retryAfter))); // as the hub asks, as a sender should
            } else {
                backoff(attempt);
            }
        }
        gaveUp.add("webhook " + message.id() + " (deadline)");
        message.items().forEach(i -> keysNotAccepted.add(i.key()));
    }

    private void countOutcomes(String body) {
        for (String outcome : List.of("APPLIED", "DUPLICATE", "CONFLICT", "REJECTED", "ERROR")) {
            int count = body.split("\"outcome\":\"" + outcome + "\"", -1).length - 1;
            if (count > 0) {
                outcomesAnswered.computeIfAbsent(outcome, o -> new AtomicInteger()).addAndGet(count);
            }
        }
    }

    private void sqs(TrafficPlan.MessageUnit message) {
        PartnerCredentials partner = partners.get(message.partnerId());
        String body = new String(message.json(), java.nio.charset.StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        Map<String, MessageAttributeValue> attributes = new java.util.HashMap<>();
        attributes.put("partnerId", text(partner.id()));
        if (message.signing() != TrafficPlan.Signing.UNSIGNED) {
            String secret = message.signing() == TrafficPlan.Signing.SIGNED ? partner.signingSecret()
                    : otherSecret(partner.id());
            attributes.put("webhook-id", text(message.id()));
            attributes.put("webhook-timestamp", text(Long.toString(timestamp)));
            attributes.put("webhook-signature", text(StandardWebhooks.sign(secret, message.id(), timestamp,
                    message.json())));
        }
        for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
            try {
                infra.sqs.sendMessage(b -> b.queueUrl(infra.queueUrl).messageBody(body)
                        .messageAttributes(attributes));
                sqsSent.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                log.line("SQS send of " + message.id() + " failed (" + e.getMessage() + "), retrying");
                backoff(attempt);
            }
        }
        gaveUp.add("SQS " + message.id());
        message.items().forEach(i -> keysNotAccepted.add(i.key()));
    }

    /** Another partner's signing secret (a real one, only not this partner's), or a random one. */
    private String otherSecret(String partnerId) {
        return partners.values().stream().filter(p -> !p.id().equals(partnerId)).map(PartnerCredentials::signingSecret)
                .findFirst().orElseGet(() -> {
                    byte[] key = new byte[24];
                    new SecureRandom().nextBytes(key);
                    return "whsec_" + Base64.getEncoder().encodeToString(key);
                });
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static void backoff(int attempt) {
        pause(Math.min(8000, 500L << Math.min(attempt, 4)));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
