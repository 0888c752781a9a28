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

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ingest.pipeline.BatchApplier;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.IngestLimits;
import com.invoicehub.ingest.pipeline.JudgedRow;
import com.invoicehub.ingest.pipeline.LineItemRules;
import com.invoicehub.ingest.pipeline.RawArchive;
import com.invoicehub.ingest.pipeline.ResultsFiles;
import com.invoicehub.ingest.pipeline.SourceFiles;
import com.invoicehub.platform.Outages;
import com.invoicehub.platform.TempFile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Webhook calls do not each pay for a receipt. The calls of one partner that arrive while the writers are busy wait
 * together and are written as one receipt in one transaction: each call's claim on its webhook-id
 * ({@code webhook_receipts}), the records of all its items, their line items and each call's answer. The group's
 * archive copy (one JSON Lines object, each call's body as received) is uploaded first, outside any transaction, so
 * a slow S3 holds no lock. A call alone is a group of one, so no call waits for a window to close; under load the
 * groups grow and the per-call work shrinks.
 * <p>
 * The claim is the idempotency: a webhook-id repeated while its first call is being written waits on the claim's key
 * and is then answered as the first time. Because everything commits together, a crash at any point leaves either
 * the whole group or none of it (then each partner's retry writes it afresh). A group that fails for a reason that is
 * not an outage is split in halves until the call at fault stands alone, and that call takes a receipt of its own
 * (leased, resumed, given up with its reason), as every call used to; so does a body too big for a group. That path
 * claims the webhook-id first too (an unanswered claim, status 0, until its receipt is done), so a call is never
 * written by both. Calls waiting are bounded in bytes: beyond, a call is answered 503 with Retry-After.
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
    private final PartnerRouteFiles routeFiles;
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
    private long queuedBytes;
    private final long maxQueuedBytes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService writers;

    WebhookGroups(MessageIngestion alone, MappingRegistry mappings, PartnerRouteFiles routeFiles,
                  CustomerRegistry customers, IngestLimits limits,
                  SourceFiles sourceFiles, BatchApplier applier, ResultsFiles results, RawArchive archive,
                  TransactionTemplate transaction, JdbcClient jdbc, ObjectMapper mapper, MeterRegistry metrics,
                  Clock clock,
                  @Value("${hub.webhook.group-writers:4}") int writers,
                  @Value("${hub.webhook.group-max-calls:500}") int maxCalls,
                  @Value("${hub.webhook.group-max-bytes:4194304}") long maxGroupBytes,
                  @Value("${hub.webhook.answer-timeout:PT20S}") Duration answerTimeout,
                  @Value("${hub.webhook.group-queue-max-bytes:67108864}") long maxQueuedBytes) {
        this.alone = alone;
        this.mappings = mappings;
        this.routeFiles = routeFiles;
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
        this.maxQueuedBytes = maxQueuedBytes;
        this.writers = Executors.newFixedThreadPool(Math.max(1, writers), named("webhook-group-writer-"));
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
            if (queuedBytes + body.length > maxQueuedBytes) {
                return unavailable("the hub has " + queuedBytes + " bytes of webhook calls waiting to be written; "
                        + "retry in a moment");
            }
            queuedBytes += body.length;
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
            if (withdraw(call)) {
                return unavailable("the hub could not start writing this call in " + answerTimeout.toSeconds()
                        + " s; nothing of it was written; retry in a moment");
            }
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

    /** Takes a call back if no writer has taken it yet: then nothing of it is or will be written. */
    private synchronized boolean withdraw(Call call) {
        ArrayDeque<Call> calls = waiting.get(call.partnerId());
        if (calls == null || !calls.remove(call)) {
            return false;
        }
        queuedBytes -= call.body().length;
        if (calls.isEmpty()) {
            waiting.remove(call.partnerId());
            ready.remove(call.partnerId());
        }
        return true;
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
            queuedBytes -= call.body().length;
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
                    pause(attempt);
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

    /** A short random pause before a group that lost a lock is written again, so the two do not meet again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 50L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void splitOrAlone(List<Call> group, RuntimeException failure) {
        if (group.size() > 1) {
            log.warn("A group of {} webhook calls of partner {} failed as one ({}); writing it in halves to find the "
                    + "call at fault", group.size(), group.get(0).partnerId(), failure.toString());
            int middle = group.size() / 2;
            write(group.subList(0, middle));
            write(group.subList(middle, group.size()));
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
        // A repeat of a webhook-id within the group is answered as its first call is, however that one is written.
        Map<String, Call> firsts = new LinkedHashMap<>();
        for (Call call : group) {
            Call first = firsts.putIfAbsent(call.webhookId(), call);
            if (first != null) {
                first.answer().whenComplete((answer, failure) -> {
                    if (failure != null) {
                        call.answer().completeExceptionally(failure);
                    } else {
                        call.answer().complete(answer);
                    }
                });
            }
        }
        // Read and judged off the transaction.
        LineItemRules rules = new LineItemRules(customers.currencies());
        String mappingName = routeFiles.jsonMappingOf(partnerId);
        // A mapping file removed meanwhile: each call takes its own receipt, refused with that reason, kept.
        PartnerMapping mapping = mappings.find(mappingName).orElse(null);
        Map<String, List<JudgedRow>> judged = new HashMap<>();
        java.util.Set<Call> alone = new java.util.LinkedHashSet<>();
        for (Call call : firsts.values()) {
            try {
                if (mapping == null) {
                    throw new IllegalStateException("no mapping named " + mappingName);
                }
                judged.put(call.webhookId(), read(mapping, rules, call.body()));
            } catch (IOException | RuntimeException e) {
                alone.add(call); // its own receipt says why, as before groups
            }
        }
        // A call that has a receipt of its own (written alone, or before groups) goes on there: resumed, or busy.
        alone.addAll(ownReceipts(partnerId, firsts));
        alone.forEach(call -> firsts.remove(call.webhookId()));
        if (!firsts.isEmpty()) {
            List<Call> calls = new ArrayList<>(firsts.values());
            Instant at = clock.instant();
            long fileId = sourceFiles.newId();
            String name = "webhook-group-" + fileId + ".jsonl";
            Map<String, PartnerWebhook.Answer> answers;
            try (TempFile copy = TempFile.create("webhook-group-")) {
                String sha256 = archiveCopy(calls, copy);
                Archived archived = new Archived(name, archive.store(fileId, partnerId, name, copy.path()),
                        Files.size(copy.path()), sha256);
                answers = transaction.execute(status -> writeClaimed(partnerId, mappingName, fileId, archived, calls,
                        judged, at));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the archive copy of a webhook group", e);
            }
            groupSizes.record(answers.size());
            for (Call call : calls) {
                PartnerWebhook.Answer answer = answers.get(call.webhookId());
                call.answer().complete(answer != null ? answer : firstAnswer(call));
            }
        }
        for (Call call : alone) {
            splitOrAlone(List.of(call), new IllegalStateException("its body could not be read as a group's, or it "
                    + "has a receipt of its own"));
        }
    }

    /** A group's archive copy, stored before its transaction. */
    private record Archived(String name, String key, long sizeBytes, String sha256) {
    }

    /**
     * In the group's transaction: claims the calls' webhook-ids (a claim another transaction holds is waited for, then
     * skipped: its call is answered from it), keeps the claimed calls' rows as one receipt and stores each claimed
     * call's answer. Answers the claimed calls' answers.
     */
    private Map<String, PartnerWebhook.Answer> writeClaimed(String partnerId, String mapping, long fileId,
                                                            Archived archived,
                                                            List<Call> calls, Map<String, List<JudgedRow>> judged,
                                                            Instant at) {
        List<String> claimed = claim(partnerId, calls.stream().map(Call::webhookId).sorted().toList());
        if (claimed.isEmpty()) {
            return Map.of();
        }
        List<Call> mine = calls.stream().filter(call -> claimed.contains(call.webhookId())).toList();
        Map<String, Rows> ranges = new HashMap<>();
        List<JudgedRow> rows = new ArrayList<>();
        for (Call call : mine) {
            List<JudgedRow> own = judged.get(call.webhookId());
            ranges.put(call.webhookId(), new Rows(rows.size() + 1, own.size()));
            for (JudgedRow row : own) {
                rows.add(row.numbered(rows.size() + 1));
            }
        }
        sourceFiles.recordWritten(fileId, new IncomingFile(partnerId, Channel.WEBHOOK, mapping,
                archived.name(), null, null), archived.sizeBytes(), archived.sha256(), rows.size());
        sourceFiles.archived(fileId, archived.key());
        Map<Outcome, Integer> counts = applier.applyInTransaction(BatchApplier.Run.overKeptRecords(fileId,
                partnerId, Channel.WEBHOOK, FileIngestion.RECEIPT_RUN, at), rows);
        Map<String, PartnerWebhook.Answer> answers = answers(fileId, mine, ranges);
        storeAnswers(partnerId, fileId, mine, ranges, answers);
        counts.forEach((outcome, count) -> metrics.counter("hub.ingest.rows", "partner", partnerId,
                "channel", Channel.WEBHOOK.name(), "outcome", outcome.name()).increment(count));
        return answers;
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
            answers.put(call.webhookId(), answer(call.webhookId(), fileId,
                    outcomes.stream().filter(row -> range.holds(row.row())).toList()));
        }
        return answers;
    }

    /** A call's answer (CONTRACT §4): its id, its receipt and the outcome of each of its items. */
    private PartnerWebhook.Answer answer(String webhookId, long fileId, List<ResultsFiles.RowResult> rows) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("webhookId", webhookId);
        answer.put("fileId", fileId);
        answer.put("items", rows.stream().map(row -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("externalId", row.externalId());
            item.put("outcome", row.outcome());
            item.put("reason", row.reason());
            item.put("message", row.message());
            return item;
        }).toList());
        return new PartnerWebhook.Answer(200, json(answer));
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
    private List<JudgedRow> read(PartnerMapping mapping, LineItemRules rules, byte[] body) throws IOException {
        List<JudgedRow> rows = new ArrayList<>();
        try (RowReader reader = mapping.open(new ByteArrayInputStream(body), limits.read())) {
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

    /**
     * A call written as a receipt of its own: the pipeline files take (leased, resumed, given up with its reason).
     * It claims its webhook-id first, unanswered (status 0), so a group never writes it too; the answer completes
     * the claim once the receipt is done. A crash in between leaves the claim and the receipt, and the retry resumes
     * the receipt.
     */
    private PartnerWebhook.Answer writeAlone(String partnerId, String webhookId, byte[] body) {
        jdbc.sql("""
                        insert into webhook_receipts (partner_id, webhook_id, status_code, response_body, received_at)
                        values (:partner, :id, 0, '', :at)
                        on conflict (partner_id, webhook_id) do nothing""")
                .param("partner", partnerId).param("id", webhookId).param("at", Timestamp.from(clock.instant()))
                .update();
        Optional<PartnerWebhook.Answer> written = firstAnswer(partnerId, webhookId);
        if (written.isPresent()) {
            return written.get(); // a group wrote it meanwhile
        }
        MessageIngestion.MessageResult result;
        try {
            result = alone.ingest(partnerId, Channel.WEBHOOK, webhookId, body);
        } catch (ReceiptBusyException e) {
            // Held by another run: a live one finishes it, a dead node's lease runs out then and the retry takes over.
            return busy(webhookId, e.secondsLeft(clock.instant()).orElse(1L));
        }
        PartnerWebhook.Answer answer = answer(webhookId, result.fileId(), result.items());
        jdbc.sql("""
                        update webhook_receipts set status_code = :status, response_body = :body, received_at = :at,
                                                    source_file_id = :file
                        where partner_id = :partner and webhook_id = :id and status_code = 0""")
                .param("partner", partnerId).param("id", webhookId).param("status", answer.status())
                .param("body", answer.json()).param("at", Timestamp.from(clock.instant()))
                .param("file", result.fileId()).update();
        return firstAnswer(partnerId, webhookId).orElse(answer);
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

    private PartnerWebhook.Answer unavailable(String message) {
        return new PartnerWebhook.Answer(503, json(Map.of("error", "unavailable", "message", message)), 1L);
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
            queuedBytes = 0;
            ready.clear();
            notifyAll();
        }
        unanswered.forEach(call -> call.answer().complete(stopping()));
        writers.shutdown();
        try {
            // A group being written finishes and answers its calls before the database goes.
            if (!writers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Webhook group writers still busy after 30 s at shutdown; their transactions roll back");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
