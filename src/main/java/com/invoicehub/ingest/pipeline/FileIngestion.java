package com.invoicehub.ingest.pipeline;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.platform.NodeIdentity;
import com.invoicehub.platform.Outages;
import com.invoicehub.platform.TempFile;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pipeline every file channel ends in: record the receipt, archive the raw bytes while refusing a file that cannot
 * be read as a whole or streaming its rows through the mapping and the rules and applying them in set-based batches,
 * resuming after the last committed row when a run was cut short; a receipt ends DONE once its archived copy is whole.
 * Named as an interface of the module for the benchmark, which drives it with generated files.
 */
@Service
@NamedInterface("file-ingestion")
public class FileIngestion {

    /** The run key of a receipt's own run: retries of it (crash, second node) add no attempts. */
    public static final String RECEIPT_RUN = "receipt";

    private static final Logger log = LoggerFactory.getLogger(FileIngestion.class);

    private final SourceFiles sourceFiles;
    private final MappingRegistry mappings;
    private final BatchApplier applier;
    private final RawArchive archive;
    private final ResultsFiles results;
    private final CustomerRegistry customers;
    private final IngestLimits limits;
    private final NodeIdentity node;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final LeaseHeartbeat heartbeat;
    private final int batchSize;
    private final ExecutorService background = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "ingest-background-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    FileIngestion(SourceFiles sourceFiles, MappingRegistry mappings, BatchApplier applier, RawArchive archive,
                  ResultsFiles results, CustomerRegistry customers, IngestLimits limits, NodeIdentity node,
                  MeterRegistry metrics, Clock clock, LeaseHeartbeat heartbeat,
                  @Value("${hub.ingest.batch-size:5000}") int batchSize) {
        this.sourceFiles = sourceFiles;
        this.mappings = mappings;
        this.applier = applier;
        this.archive = archive;
        this.results = results;
        this.customers = customers;
        this.limits = limits;
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.batchSize = batchSize;
    }

    /**
     * Ingests a file a channel received (on local disk); safe to call again for the same receipt. A file over its
     * channel's size limit is refused unread.
     */
    public IngestResult ingest(IncomingFile file) {
        long size;
        try {
            size = Files.size(file.localFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.localFile(), e);
        }
        if (limits.fileTooLarge(file.channel(), size).isPresent()) {
            return refuseUnread(file, size);
        }
        Digest digest = digest(file.localFile());
        SourceFiles.Receipt receipt = sourceFiles.record(file, digest.size(), digest.sha256());
        return run(receipt, file.localFile());
    }

    /**
     * Records a file bigger than its channel allows as a FAILED receipt with the reason (which limit, its size),
     * without reading, archiving or applying any of it. The caller may not even have its bytes (S3 checks the
     * object's size before downloading it); {@code file.localFile()} is not used.
     */
    public IngestResult refuseUnread(IncomingFile file, long sizeBytes) {
        String reason = limits.fileTooLarge(file.channel(), sizeBytes).orElseThrow(() ->
                new IllegalArgumentException("a " + sizeBytes + "-byte " + file.channel() + " file is within limits"));
        SourceFiles.Receipt receipt = sourceFiles.recordUnread(file, sizeBytes, reason);
        metrics.counter("hub.ingest.files.refused", "partner", receipt.partnerId()).increment();
        log.warn("File {} ({} from {} by {}) refused unread: {}", receipt.id(), receipt.name(), receipt.partnerId(),
                receipt.channel(), reason);
        return result(receipt.id());
    }

    /** Runs (or resumes) a recorded receipt from a local copy of its bytes. */
    public IngestResult run(SourceFiles.Receipt receipt, Path local) {
        return run(receipt, () -> local);
    }

    /** Resumes a receipt from its archived copy (the sweep), fetched only once this run holds the receipt. */
    public IngestResult resumeFromArchive(SourceFiles.Receipt receipt) {
        try (TempFile copy = TempFile.reserve("resume-" + receipt.id() + "-")) {
            return run(receipt, () -> {
                archive.fetch(receipt.archiveKey(), copy.path());
                return copy.path();
            });
        }
    }

    private IngestResult run(SourceFiles.Receipt seen, Supplier<Path> localCopy) {
        if (seen.status() == FileStatus.DONE || seen.status() == FileStatus.FAILED) {
            return result(seen.id());
        }
        SourceFiles.Receipt receipt = seen;
        // The lease belongs to this run, not just this node: two runs on one node exclude each other too.
        String owner = node.id() + "/" + UUID.randomUUID();
        if (!sourceFiles.claim(receipt.id(), owner, heartbeat.lease())) {
            log.info("File {} ({} from {}) is held by another run (another node, or a dead one's lease until it "
                    + "expires) or waits after a failed try: left for a later try", receipt.id(), receipt.name(),
                    receipt.partnerId());
            throw new ReceiptBusyException(receipt.id(), sourceFiles.busyUntil(receipt.id()).orElse(null));
        }
        heartbeat.hold(receipt.id(), owner);
        try {
            receipt = sourceFiles.find(receipt.id()).orElseThrow(); // as the last run left it, not as first seen
            if (receipt.status() == FileStatus.DONE || receipt.status() == FileStatus.FAILED) {
                return result(receipt.id());
            }
            Path local = localCopy.get();
            return readWhileArchiving(receipt, local, owner);
        } catch (FileRefusedException e) {
            return refuse(receipt, e.getMessage());
        } catch (IOException e) {
            return failedTry(receipt, owner, new UncheckedIOException("cannot read file " + receipt.id() + " ("
                    + receipt.name() + ")", e));
        } catch (ReceiptBusyException e) {
            throw e;
        } catch (RuntimeException e) {
            return failedTry(receipt, owner, e);
        } finally {
            heartbeat.release(receipt.id(), owner);
            sourceFiles.release(receipt.id(), owner);
        }
    }

    /**
     * Archives the raw copy beside the rows: the upload runs on its own thread while this one reads and the batches
     * are written, and the receipt is DONE (or refused) only once the copy is complete. An archive that failed fails
     * the try as it would have failed before any row was read; the rows it committed stay, and the next try skips
     * them and archives again. Whatever the outcome, the upload has ended when this returns.
     */
    private IngestResult readWhileArchiving(SourceFiles.Receipt receipt, Path local, String owner)
            throws IOException {
        Future<?> archived = background.submit(() -> {
            archive(receipt, local);
            return null;
        });
        try {
            Optional<PartnerMapping> mapping = mappings.find(receipt.mapping());
            if (mapping.isEmpty()) {
                await(archived);
                return refuse(receipt, "no mapping named '" + receipt.mapping() + "' (known: "
                        + String.join(", ", mappings.names()) + ")");
            }
            try (InputStream in = open(local)) {
                Optional<String> refusal = mapping.get().refusal(in, limits.read());
                if (refusal.isPresent()) {
                    await(archived); // a refused file is kept too, to be read again once its mapping is fixed
                    return refuse(receipt, refusal.get());
                }
            }
            int rows = applyRows(receipt, mapping.get(), local, owner);
            await(archived);
            sourceFiles.done(receipt.id(), owner, rows);
            IngestResult result = result(receipt.id());
            log.info("File {} ({} from {} by {}) done: {}", receipt.id(), receipt.name(), receipt.partnerId(),
                    receipt.channel(), result.counts());
            return result;
        } catch (FileRefusedException e) {
            try {
                await(archived); // refused only once archived, as above; an archive failure is the try's failure
            } catch (RuntimeException | Error archiveFailure) {
                archiveFailure.addSuppressed(e);
                throw archiveFailure;
            }
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            awaitAfter(archived, e);
            throw e;
        }
    }

    /**
     * Uploads the receipt's bytes unless the archive already holds them whole under its key (a try before this one
     * archived it); a key whose object is missing or of another size is written again.
     */
    private void archive(SourceFiles.Receipt receipt, Path local) throws IOException {
        if (receipt.archiveKey() != null && archive.holds(receipt.archiveKey(), Files.size(local))) {
            return;
        }
        if (receipt.archiveKey() != null) {
            log.warn("File {} ({}): its archived copy {} is missing or incomplete; archiving it again", receipt.id(),
                    receipt.name(), receipt.archiveKey());
        }
        sourceFiles.archived(receipt.id(), archive.store(receipt.id(), receipt.partnerId(), receipt.name(), local));
    }

    /**
     * A run that failed: an outage (or a stop) passes on unchanged, to be tried again as if nothing happened; any other
     * failure is counted against the receipt with its reason, and the try that reaches the limit ends it FAILED (the
     * channel then moves a file to failed/ with the reason) instead of retrying it forever.
     */
    private IngestResult failedTry(SourceFiles.Receipt receipt, String owner, RuntimeException failure) {
        if (Outages.isOutage(failure) || Thread.currentThread().isInterrupted()) {
            throw failure;
        }
        String reason = String.valueOf(failure.getMessage());
        boolean givenUp;
        try {
            givenUp = sourceFiles.failedTry(receipt.id(), owner, reason);
        } catch (RuntimeException notCounted) {
            failure.addSuppressed(notCounted);
            throw failure;
        }
        metrics.counter("hub.ingest.files.failed.tries", "partner", receipt.partnerId()).increment();
        if (!givenUp) {
            throw failure;
        }
        log.error("File {} ({} from {}) given up after its failed tries; the last: {}", receipt.id(), receipt.name(),
                receipt.partnerId(), reason, failure);
        return result(receipt.id());
    }

    /**
     * Reads, judges and prepares a batch on this thread while the batch before it is written on another, so reading a
     * file and writing it overlap; batches are still written one at a time and in order, so the resume point stays a
     * row number.
     */
    private int applyRows(SourceFiles.Receipt receipt, PartnerMapping mapping, Path local, String owner)
            throws IOException {
        LineItemRules rules = new LineItemRules(customers.currencies());
        BatchWriting writing = new BatchWriting(receipt, owner);
        List<JudgedRow> batch = new ArrayList<>(batchSize);
        int rows = 0;
        try (InputStream in = open(local); RowReader reader = mapping.open(in, limits.read())) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows++;
                if (row.rowNumber() <= receipt.lastRowNumber()) {
                    continue; // committed by an earlier try of this run
                }
                batch.add(judge(rules, row));
                if (batch.size() == batchSize) {
                    writing.handOver(batch, rows);
                    batch = new ArrayList<>(batchSize);
                }
            }
            writing.handOver(batch, rows);
        } catch (IOException | RuntimeException e) {
            writing.awaitAfter(e); // a batch handed over commits or rolls back before the failure is reported
            throw e;
        }
        writing.await();
        return rows;
    }

    /** The batches of one run on their way to the database: at most one written while the next is prepared. */
    private final class BatchWriting {
        private final SourceFiles.Receipt receipt;
        private final String owner;
        private final BatchApplier.LearnedUsers users = new BatchApplier.LearnedUsers();
        private BatchApplier.PreparedBatch inHand;
        private Future<?> written = CompletableFuture.completedFuture(null);

        BatchWriting(SourceFiles.Receipt receipt, String owner) {
            this.receipt = receipt;
            this.owner = owner;
        }

        void handOver(List<JudgedRow> rows, int rowsRead) {
            if (rows.isEmpty()) {
                return;
            }
            BatchApplier.Run run = new BatchApplier.Run(receipt.id(), receipt.partnerId(), receipt.channel(),
                    RECEIPT_RUN, clock.instant(), owner);
            BatchApplier.PreparedBatch prepared = applier.prepare(run, rows, inHand);
            await();
            if (inHand != null && inHand.raced()) {
                prepared = applier.prepare(run, rows, null); // decided against keys that batch did not apply
            }
            BatchApplier.PreparedBatch next = prepared;
            inHand = next;
            written = background.submit(() -> write(next, rowsRead));
        }

        private void write(BatchApplier.PreparedBatch batch, int rowsRead) {
            applier.write(batch, users).counts().forEach((outcome, count) -> metrics.counter("hub.ingest.rows",
                    "partner", receipt.partnerId(), "channel", receipt.channel().name(), "outcome", outcome.name())
                    .increment(count));
            log.info("File {} ({}): {} rows done", receipt.id(), receipt.name(), rowsRead);
        }

        void await() {
            FileIngestion.await(written);
        }

        void awaitAfter(Exception failure) {
            FileIngestion.awaitAfter(written, failure);
        }
    }

    /** Waits for the task after the run failed; the task's own failure, if another, is added to the run's. */
    private static void awaitAfter(Future<?> task, Throwable failure) {
        try {
            await(task);
        } catch (RuntimeException | Error also) {
            if (also != failure) { // the failure may be this very task's, already reported by await()
                failure.addSuppressed(also);
            }
        }
    }

    /**
     * The task's result; its failure is thrown here as it was thrown there. Interrupted (a stop), it still waits for
     * the task, a batch at most, so the run ends with that batch committed or rolled back, never in between.
     */
    private static <T> T await(Future<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    T result = task.get();
                    if (interrupted) {
                        throw new IllegalStateException("interrupted; the batch in hand was written first");
                    }
                    return result;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @PreDestroy
    void stopBackgroundWork() {
        background.shutdown(); // a batch in hand still finishes
    }

    /** The mapping's verdict, then the rules'; a failure that is not the row's fault is an ERROR outcome. */
    public static JudgedRow judge(LineItemRules rules, SourceRow row) {
        if (row.rejection() != null) {
            return JudgedRow.rejected(row.rowNumber(), row.raw(), row.externalId(), row.rejection().code().name(),
                    row.rejection().message());
        }
        try {
            LineItemRules.Verdict verdict = rules.judge(row.item());
            if (verdict.rejection() != null) {
                return JudgedRow.rejected(row.rowNumber(), row.raw(), row.externalId(),
                        verdict.rejection().code().name(), verdict.rejection().message());
            }
            return JudgedRow.valid(row.rowNumber(), row.raw(), verdict.item());
        } catch (RuntimeException e) {
            return JudgedRow.error(row.rowNumber(), row.raw(), row.externalId(),
                    "the hub failed to judge this row: " + e);
        }
    }

    private IngestResult refuse(SourceFiles.Receipt receipt, String reason) {
        sourceFiles.failed(receipt.id(), reason);
        metrics.counter("hub.ingest.files.refused", "partner", receipt.partnerId()).increment();
        log.warn("File {} ({} from {}) refused: {}", receipt.id(), receipt.name(), receipt.partnerId(), reason);
        return result(receipt.id());
    }

    /** The receipt's state and its counts. */
    public IngestResult result(long fileId) {
        SourceFiles.Receipt receipt = sourceFiles.find(fileId).orElseThrow();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        results.counts(fileId).forEach(counts::put);
        return new IngestResult(fileId, receipt.status(), receipt.failureReason(), counts);
    }

    private static InputStream open(Path local) throws IOException {
        return new BufferedInputStream(Files.newInputStream(local), 1 << 16);
    }

    record Digest(long size, String sha256) {
    }

    static Digest digest(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            long size = in.transferTo(java.io.OutputStream.nullOutputStream());
            return new Digest(size, HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
