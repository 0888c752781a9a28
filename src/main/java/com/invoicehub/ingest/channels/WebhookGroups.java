package com.invoicehub.ingest.channels;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.BatchApplier;
import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.FileIngestion;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestLimits;
import com.invoicehub.ingest.JudgedRow;
import com.invoicehub.ingest.LineItemRules;
import com.invoicehub.ingest.MappingRegistry;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.RawArchive;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.ResultsFiles;
import com.invoicehub.ingest.SourceFiles;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.mappings.canonicaljson.CanonicalJsonMapping;
import com.invoicehub.platform.Outages;
import com.invoicehub.platform.TempFile;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Webhook calls do not each pay for a receipt. The calls of one partner that arrive while its previous group is being
 * written wait together and are written as one receipt in one transaction: each call's claim on its webhook-id
 * ({@code webhook_receipts}), the records of all its items, their line items and each call's answer, committed only
 * once the group's archive copy (one JSON Lines object, each call's body as sent) is complete. A call alone is a
 * group of one, so no call waits for a window to close; under load the groups grow and the per-call work shrinks.
 * <p>
 * The claim is the idempotency: a webhook-id repeated while its first call is being written waits on the claim's key
 * and is then answered as the first time. Because everything commits together, a crash at any point leaves either
 * the whole group or none of it (then each partner's retry writes it afresh). A group that fails for a reason that is
 * not an outage is written again call by call, and a call that fails alone takes the receipt of its own (leased,
 * retried, given up with its reason) that every call used to take, so one call never fails another. A body too big
 * for a group goes that way directly.
 */
@Component
class WebhookGroups {

    private static final Logger log = LoggerFactory.getLogger(WebhookGroups.class);

    /** How often a group that lost a lock to another transaction is written again before it is split. */
    private static final int LOCK_TRIES = 3;

    /** A call waiting for its group; its answer completes once the group commits (or fails). */
    private record Call(String partnerId, String webhookId, byte[] body, Instant receivedAt,
                        CompletableFuture<PartnerWebhook.Answer> answer) {
    }

    /** A call's rows within its group's receipt. */
    private record Rows(int first, int count) {
        boolean holds(int row) {
            return row >= first && row < first + count;
        }
    }

    private final MessageIngestion alone;
    private final MappingRegistry mappings;
    private final CustomerRegistry customers;
    private final IngestLimits limits;
    private final SourceFiles sourceFiles;
    private final BatchApplier applier;
    private final ResultsFiles results;
    private final RawArchive archive;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final DistributionSummary groupSizes;
    private final Clock clock;
    private final int maxCalls;
    private final long maxGroupBytes;
    private final Duration answerTimeout;

    /** Calls waiting, by partner, and the partners with calls waiting in the order they first had some. */
    private final Map<String, ArrayDeque<Call>> waiting = new HashMap<>();
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private boolean stopping;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService writers;
    private final ExecutorService archiving;

    WebhookGroups(MessageIngestion alone, MappingRegistry mappings, CustomerRegistry customers, IngestLimits limits,
                  SourceFiles sourceFiles, BatchApplier applier, ResultsFiles results, RawArchive archive,
                  TransactionTemplate transaction, JdbcClient jdbc, ObjectMapper mapper, MeterRegistry metrics,
                  Clock clock,
                  @Value("${hub.webhook.group-writers:4}") int writers,
                  @Value("${hub.webhook.group-max-calls:500}") int maxCalls,
                  @Value("${hub.webhook.group-max-bytes:4194304}") long maxGroupBytes,
                  @Value("${hub.webhook.answer-timeout:PT20S}") Duration answerTimeout) {
        this.alone = alone;
        this.mappings = mappings;
        this.customers = customers;
        this.limits = limits;
        this.sourceFiles = sourceFiles;
        this.applier = applier;
        this.results = results;
        this.archive = archive;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.metrics = metrics;
        this.groupSizes = DistributionSummary.builder("hub.webhook.group.calls")
                .description("webhook calls written together as one receipt").register(metrics);
        this.clock = clock;
        this.maxCalls = Math.max(1, maxCalls);
        this.maxGroupBytes = maxGroupBytes;
        this.answerTimeout = answerTimeout;
        this.writers = Executors.newFixedThreadPool(Math.max(1, writers), named("webhook-group-writer-"));
        this.archiving = Executors.newCachedThreadPool(named("webhook-group-archive-"));
        for (int i = 0; i < Math.max(1, writers); i++) {
            this.writers.submit(this::writeGroups);
        }
    }

    /**
     * Writes a verified call (API key, signature, fresh timestamp, well-formed JSON) and answers it once it is
     * committed: as part of a group, or alone when its body is bigger than a group may be.
     */
    PartnerWebhook.Answer write(String partnerId, String webhookId, byte[] body) {
        if (body.length > maxGroupBytes / 4) {
            return writeAlone(partnerId, webhookId, body);
        }
        Call call = new Call(partnerId, webhookId, body, clock.instant(), new CompletableFuture<>());
        synchronized (this) {
            if (stopping) {
                return stopping();
            }
            ArrayDeque<Call> calls = waiting.computeIfAbsent(partnerId, partner -> new ArrayDeque<>());
            if (calls.isEmpty()) {
                ready.add(partnerId);
            }
            calls.add(call);
            inFlight.incrementAndGet();
            call.answer().whenComplete((answer, failure) -> inFlight.decrementAndGet());
            notifyAll();
        }
        try {
            return call.answer().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Its group may still commit: the retry then gets that answer from the claim.
            return busy(webhookId, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stopping();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // an outage, answered 503 by the route like any other
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Calls handed to the group writers and not answered yet (for ops and tests: how far behind the writers are). */
    int callsInFlight() {
        return inFlight.get();
    }

    private void writeGroups() {
        while (true) {
            List<Call> group;
            try {
                group = nextGroup();
            } catch (InterruptedException e) {
                return;
            }
            if (group == null) {
                return;
            }
            try {
                write(group);
            } catch (RuntimeException | Error e) {
                group.forEach(call -> call.answer().completeExceptionally(e));
                log.error("A group of {} webhook calls failed outside its own handling", group.size(), e);
            }
        }
    }

    /** The next partner's waiting calls, as many as a group takes; null once stopping. */
    private synchronized List<Call> nextGroup() throws InterruptedException {
        while (ready.isEmpty() && !stopping) {
            wait();
        }
        if (stopping) {
            return null;
        }
        String partnerId = ready.poll();
        ArrayDeque<Call> calls = waiting.get(partnerId);
        List<Call> group = new ArrayList<>();
        long bytes = 0;
        while (!calls.isEmpty() && group.size() < maxCalls
                && (group.isEmpty() || bytes + calls.peek().body().length <= maxGroupBytes)) {
            Call call = calls.poll();
            bytes += call.body().length;
            group.add(call);
        }
        if (calls.isEmpty()) {
            waiting.remove(partnerId);
        } else {
            ready.add(partnerId); // behind the partners already waiting: one busy partner does not starve the others
        }
        return group;
    }

    /** Writes a group, again after a lost lock, and call by call when it fails as a whole. */
    private void write(List<Call> group) {
        for (int attempt = 1; ; attempt++) {
            try {
                writeGroup(group);
                return;
            } catch (PessimisticLockingFailureException lost) {
                if (attempt < LOCK_TRIES) {
                    continue;
                }
                splitOrAlone(group, lost);
                return;
            } catch (RuntimeException failure) {
                if (Outages.isOutage(failure)) {
                    group.forEach(call -> call.answer().completeExceptionally(failure));
                    return;
                }
                splitOrAlone(group, failure);
                return;
            }
        }
    }

    private void splitOrAlone(List<Call> group, RuntimeException failure) {
        if (group.size() > 1) {
            log.warn("A group of {} webhook calls of partner {} failed as one ({}); writing them one by one",
                    group.size(), group.get(0).partnerId(), failure.toString());
            group.forEach(call -> write(List.of(call)));
            return;
        }
        Call call = group.get(0);
        log.warn("Webhook {} of partner {} failed in a group ({}); writing it as a receipt of its own",
                call.webhookId(), call.partnerId(), failure.toString());
        try {
            call.answer().complete(writeAlone(call.partnerId(), call.webhookId(), call.body()));
        } catch (RuntimeException e) {
            call.answer().completeExceptionally(e);
        }
    }

    /** One transaction for the group; every call is answered once it commits. */
    private void writeGroup(List<Call> group) {
        String partnerId = group.get(0).partnerId();
        // Read and judged off the transaction; a repeat of a webhook-id within the group waits for its first call.
        Map<String, Call> firsts = new LinkedHashMap<>();
        List<Call> repeats = new ArrayList<>();
        for (Call call : group) {
            if (firsts.putIfAbsent(call.webhookId(), call) != null) {
                repeats.add(call);
            }
        }
        LineItemRules rules = new LineItemRules(customers.currencies());
        PartnerMapping canonical = mappings.require(CanonicalJsonMapping.NAME);
        Map<String, List<JudgedRow>> judged = new HashMap<>();
        List<Call> unreadable = new ArrayList<>();
        for (Call call : firsts.values()) {
            try {
                judged.put(call.webhookId(), read(canonical, rules, call.body()));
            } catch (IOException | RuntimeException e) {
                unreadable.add(call); // its own receipt says why, as before groups
            }
        }
        // A call that has a receipt of its own (written alone, or before groups) goes on there: resumed, or busy.
        unreadable.addAll(ownReceipts(partnerId, firsts));
        unreadable.forEach(call -> firsts.remove(call.webhookId()));
        Instant at = clock.instant();
        Map<String, PartnerWebhook.Answer> answers = firsts.isEmpty() ? Map.of()
                : transaction.execute(status -> writeClaimed(partnerId, new ArrayList<>(firsts.values()), judged, at));
        groupSizes.record(firsts.size());
        for (Call call : firsts.values()) {
            PartnerWebhook.Answer answer = answers.get(call.webhookId());
            call.answer().complete(answer != null ? answer : firstAnswer(call));
        }
        for (Call repeat : repeats) {
            firsts.get(repeat.webhookId()).answer().whenComplete((answer, failure) -> {
                if (failure != null) {
                    repeat.answer().completeExceptionally(failure);
                } else {
                    repeat.answer().complete(answer);
                }
            });
        }
        for (Call call : unreadable) {
            splitOrAlone(List.of(call), new IllegalStateException("its body could not be read as a group's, or it "
                    + "has a receipt of its own"));
        }
    }

    /**
     * In the group's transaction: claims the calls' webhook-ids (a claim another transaction holds is waited for, then
     * skipped: its call is answered from it), keeps the claimed calls' rows as one receipt, archives them beside, and
     * stores each claimed call's answer. Answers the claimed calls' answers.
     */
    private Map<String, PartnerWebhook.Answer> writeClaimed(String partnerId, List<Call> calls,
                                                            Map<String, List<JudgedRow>> judged, Instant at) {
        List<String> claimed = claim(partnerId, calls.stream().map(Call::webhookId).sorted().toList());
        if (claimed.isEmpty()) {
            return Map.of();
        }
        List<Call> mine = calls.stream().filter(call -> claimed.contains(call.webhookId())).toList();
        long fileId = sourceFiles.newId();
        String name = "webhook-group-" + fileId + ".jsonl";
        Map<String, Rows> ranges = new HashMap<>();
        List<JudgedRow> rows = new ArrayList<>();
        for (Call call : mine) {
            List<JudgedRow> own = judged.get(call.webhookId());
            ranges.put(call.webhookId(), new Rows(rows.size() + 1, own.size()));
            for (JudgedRow row : own) {
                rows.add(row.numbered(rows.size() + 1));
            }
        }
        try (TempFile copy = TempFile.create("webhook-group-")) {
            String sha256 = archiveCopy(mine, copy);
            long size = Files.size(copy.path());
            Future<String> archived = archiving.submit(() -> archive.store(fileId, partnerId, name, copy.path()));
            try {
                sourceFiles.recordWritten(fileId, new IncomingFile(partnerId, Channel.WEBHOOK,
                        CanonicalJsonMapping.NAME, name, null, null), size, sha256, rows.size());
                Map<Outcome, Integer> counts = applier.applyInTransaction(BatchApplier.Run.overKeptRecords(fileId,
                        partnerId, Channel.WEBHOOK, FileIngestion.RECEIPT_RUN, at), rows);
                Map<String, PartnerWebhook.Answer> answers = answers(fileId, mine, ranges);
                storeAnswers(partnerId, fileId, mine, ranges, answers);
                sourceFiles.archived(fileId, awaitArchive(archived));
                counts.forEach((outcome, count) -> metrics.counter("hub.ingest.rows", "partner", partnerId,
                        "channel", Channel.WEBHOOK.name(), "outcome", outcome.name()).increment(count));
                return answers;
            } finally {
                archived.cancel(false);
                awaitQuietly(archived); // the temporary copy is deleted only once the upload has let go of it
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the archive copy of a webhook group", e);
        }
    }

    private List<Call> ownReceipts(String partnerId, Map<String, Call> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select receipt_key from source_files
                        where partner_id = :partner and channel = 'WEBHOOK' and receipt_key = any(:ids)""")
                .param("partner", partnerId).param("ids", new SqlArrayValue("text", calls.keySet().toArray()))
                .query(String.class).list().stream().map(calls::get).toList();
    }

    /** Claims the ids not yet claimed, in id order (two groups sharing ids wait for each other, never deadlock). */
    private List<String> claim(String partnerId, List<String> webhookIds) {
        return jdbc.sql("""
                        insert into webhook_receipts (partner_id, webhook_id, status_code, response_body, received_at)
                        select :partner, id, 0, '', :at from unnest(:ids) with ordinality as u (id, n) order by n
                        on conflict (partner_id, webhook_id) do nothing
                        returning webhook_id""")
                .param("partner", partnerId).param("ids", new SqlArrayValue("text", webhookIds.toArray()))
                .param("at", Timestamp.from(clock.instant()))
                .query(String.class).list();
    }

    private Map<String, PartnerWebhook.Answer> answers(long fileId, List<Call> calls, Map<String, Rows> ranges) {
        List<ResultsFiles.RowResult> outcomes = results.rows(fileId);
        Map<String, PartnerWebhook.Answer> answers = new HashMap<>();
        for (Call call : calls) {
            Rows range = ranges.get(call.webhookId());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("webhookId", call.webhookId());
            answer.put("fileId", fileId);
            answer.put("items", outcomes.stream().filter(row -> range.holds(row.row())).map(row -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("externalId", row.externalId());
                item.put("outcome", row.outcome());
                item.put("reason", row.reason());
                item.put("message", row.message());
                return item;
            }).toList());
            answers.put(call.webhookId(), new PartnerWebhook.Answer(200, json(answer)));
        }
        return answers;
    }

    private void storeAnswers(String partnerId, long fileId, List<Call> calls, Map<String, Rows> ranges,
                              Map<String, PartnerWebhook.Answer> answers) {
        jdbc.sql("""
                        update webhook_receipts w
                        set status_code = u.status, response_body = u.body, source_file_id = :file,
                            first_row = u.first_row, row_count = u.row_count, received_at = u.received_at
                        from unnest(:ids, :statuses, :bodies, :firsts, :counts, :receivedAt)
                             as u (id, status, body, first_row, row_count, received_at)
                        where w.partner_id = :partner and w.webhook_id = u.id""")
                .param("partner", partnerId).param("file", fileId)
                .param("ids", array("text", calls, Call::webhookId))
                .param("statuses", array("int4", calls, call -> answers.get(call.webhookId()).status()))
                .param("bodies", array("text", calls, call -> answers.get(call.webhookId()).json()))
                .param("firsts", array("int4", calls, call -> ranges.get(call.webhookId()).first()))
                .param("counts", array("int4", calls, call -> ranges.get(call.webhookId()).count()))
                .param("receivedAt", array("timestamptz", calls, call -> Timestamp.from(call.receivedAt())))
                .update();
    }

    private static SqlArrayValue array(String type, List<Call> calls, java.util.function.Function<Call, ?> field) {
        return new SqlArrayValue(type, calls.stream().map(field).toArray());
    }

    /** A call's rows, judged, numbered from 1 as a receipt of its own would number them. */
    private List<JudgedRow> read(PartnerMapping canonical, LineItemRules rules, byte[] body) throws IOException {
        List<JudgedRow> rows = new ArrayList<>();
        try (RowReader reader = canonical.open(new ByteArrayInputStream(body), limits.read())) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(FileIngestion.judge(rules, row));
            }
        }
        return rows;
    }

    /**
     * The group's archive copy: one JSON line per call with its webhook-id, when it was received and its body as
     * sent (as text, or in base64 when it is not UTF-8). Answers its SHA-256.
     */
    private String archiveCopy(List<Call> calls, TempFile copy) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Writer out = Files.newBufferedWriter(copy.path(), StandardCharsets.UTF_8)) {
            for (Call call : calls) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("webhookId", call.webhookId());
                line.put("receivedAt", call.receivedAt().toString());
                Optional<String> text = utf8(call.body());
                if (text.isPresent()) {
                    line.put("body", text.get());
                } else {
                    line.put("bodyBase64", Base64.getEncoder().encodeToString(call.body()));
                }
                String json = json(line) + "\n";
                sha256.update(json.getBytes(StandardCharsets.UTF_8));
                out.write(json);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String awaitArchive(Future<String> archived) {
        try {
            return archived.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while archiving a webhook group", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // the archive's outage fails the group: nothing of it is committed
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void awaitQuietly(Future<?> task) {
        try {
            task.get();
        } catch (Exception ignored) {
            // cancelled or failed: either way it no longer reads the copy
        }
    }

    /**
     * A call written as a receipt of its own: the pipeline files take (leased, resumed, given up with its reason),
     * then its answer stored unless a concurrent copy of the call stored one first.
     */
    private PartnerWebhook.Answer writeAlone(String partnerId, String webhookId, byte[] body) {
        MessageIngestion.MessageResult result;
        try {
            result = alone.ingest(partnerId, Channel.WEBHOOK, webhookId, body);
        } catch (ReceiptBusyException e) {
            // Held by another run: a live one finishes it, a dead node's lease runs out then and the retry takes over.
            return busy(webhookId, e.secondsLeft(clock.instant()).orElse(1L));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("webhookId", webhookId);
        answer.put("fileId", result.fileId());
        answer.put("items", result.items().stream().map(item -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("externalId", item.externalId());
            line.put("outcome", item.outcome());
            line.put("reason", item.reason());
            line.put("message", item.message());
            return line;
        }).toList());
        PartnerWebhook.Answer first = new PartnerWebhook.Answer(200, json(answer));
        jdbc.sql("""
                        insert into webhook_receipts (partner_id, webhook_id, status_code, response_body, received_at,
                                                      source_file_id)
                        values (:partner, :id, :status, :body, :at, :file)
                        on conflict (partner_id, webhook_id) do nothing""")
                .param("partner", partnerId).param("id", webhookId).param("status", first.status())
                .param("body", first.json()).param("at", Timestamp.from(clock.instant()))
                .param("file", result.fileId()).update();
        return firstAnswer(partnerId, webhookId).orElse(first);
    }

    private PartnerWebhook.Answer firstAnswer(Call call) {
        return firstAnswer(call.partnerId(), call.webhookId())
                .orElseGet(() -> writeAlone(call.partnerId(), call.webhookId(), call.body()));
    }

    /** The answer stored for a webhook-id, as first given. */
    Optional<PartnerWebhook.Answer> firstAnswer(String partnerId, String webhookId) {
        return jdbc.sql("select status_code, response_body from webhook_receipts "
                        + "where partner_id = :partner and webhook_id = :id and status_code <> 0")
                .param("partner", partnerId).param("id", webhookId)
                .query((rs, n) -> new PartnerWebhook.Answer(rs.getInt(1), rs.getString(2))).optional();
    }

    private PartnerWebhook.Answer busy(String webhookId, long seconds) {
        return new PartnerWebhook.Answer(409, json(Map.of("error", "in_progress", "message",
                "webhook " + webhookId + " is being processed; retry in " + seconds + " s")), seconds);
    }

    private PartnerWebhook.Answer stopping() {
        return new PartnerWebhook.Answer(503, json(Map.of("error", "unavailable", "message",
                "the hub is stopping; retry in a moment")), 1L);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        List<Call> unanswered = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            waiting.values().forEach(unanswered::addAll);
            waiting.clear();
            ready.clear();
            notifyAll();
        }
        unanswered.forEach(call -> call.answer().complete(stopping()));
        writers.shutdown(); // a group being written finishes and answers its calls
        archiving.shutdown();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
