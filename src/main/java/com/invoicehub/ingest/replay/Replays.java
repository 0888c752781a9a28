package com.invoicehub.ingest.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.ingest.mapping.MappingRetired;
import com.invoicehub.ingest.mapping.OverlongInput;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ingest.pipeline.BatchApplier;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.IngestLimits;
import com.invoicehub.ingest.pipeline.JudgedRow;
import com.invoicehub.ingest.pipeline.LineItemRules;
import com.invoicehub.ingest.pipeline.RawArchive;
import com.invoicehub.ingest.pipeline.SourceFiles;
import com.invoicehub.platform.TempFile;
import com.invoicehub.platform.audit.AuditLog;

/**
 * Replays records with today's mapping and master data (CONTRACT §5): each replay is a new run with its own key, so it
 * adds one attempt per record; the ledger's keys keep it from applying anything twice. A dry run answers what would
 * change and writes nothing. A file refused whole is read again from its archived copy.
 */
@Service
public class Replays {

    /** How a replay's run key starts ({@code replay-<uuid>}; a file's replay gives all its records the same key). */
    public static final String REPLAY_RUN_PREFIX = "replay-";
    /** How the sweep's retry of an ERROR attempt is keyed ({@code retry-of-<attempt id>}). */
    public static final String ERROR_RETRY_RUN_PREFIX = "retry-of-";

    /** A record's place: its receipt and row. */
    private record FileRow(long fileId, int rowNumber) {
    }

    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final MappingRegistry mappings;
    private final CustomerRegistry customers;
    private final BatchApplier applier;
    private final SourceFiles sourceFiles;
    private final FileIngestion ingestion;
    private final RawArchive archive;
    private final AuditLog audit;
    private final OutcomePreview preview;
    private final IngestLimits limits;
    private final Clock clock;

    Replays(JdbcClient jdbc, MappingRegistry mappings, CustomerRegistry customers, BatchApplier applier,
            SourceFiles sourceFiles, FileIngestion ingestion, RawArchive archive, AuditLog audit,
            OutcomePreview preview, IngestLimits limits, Clock clock) {
        this.jdbc = jdbc;
        this.mappings = mappings;
        this.customers = customers;
        this.applier = applier;
        this.sourceFiles = sourceFiles;
        this.ingestion = ingestion;
        this.archive = archive;
        this.audit = audit;
        this.preview = preview;
        this.limits = limits;
        this.clock = clock;
    }

    private record StoredRecord(long id, long fileId, String partnerId, Channel channel, String mapping,
                                int rowNumber, String raw, String externalId, String latestOutcome,
                                boolean holdsLineItem) {
    }

    public ReplayReport replayRecord(long recordId, boolean dryRun) {
        return replayRecords(List.of(recordId), REPLAY_RUN_PREFIX + UUID.randomUUID(), dryRun, null);
    }

    /** Replays a record whose latest attempt was an ERROR; the run key ties the retry to that attempt. */
    public ReplayReport retryError(long recordId, long errorAttemptId) {
        return replayRecords(List.of(recordId), ERROR_RETRY_RUN_PREFIX + errorAttemptId, false, null);
    }

    public ReplayReport replayFile(long fileId, boolean dryRun) {
        SourceFiles.Receipt receipt = sourceFiles.find(fileId)
                .orElseThrow(() -> new SourceFileNotFound(fileId));
        if (receipt.status() == FileStatus.FAILED || receipt.status() != FileStatus.DONE
                && count(fileId) == 0) {
            return rereadFromArchive(receipt, dryRun);
        }
        List<Long> ids = jdbc.sql("select id from source_records where source_file_id = :file order by row_number")
                .param("file", fileId).query(Long.class).list();
        ReplayReport report = replayRecords(ids, REPLAY_RUN_PREFIX + UUID.randomUUID(), dryRun, fileId);
        if (!dryRun) {
            audit.record("file.replayed", "file", Long.toString(fileId), null, report.outcomes());
        }
        return report;
    }

    private ReplayReport replayRecords(List<Long> ids, String runKey, boolean dryRun, Long fileId) {
        if (ids.isEmpty() && fileId == null) {
            throw new RecordNotFound("");
        }
        LineItemRules rules = new LineItemRules(customers.currencies());
        List<ReplayedRecord> replayed = new ArrayList<>();
        Map<Outcome, Integer> totals = new EnumMap<>(Outcome.class);
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<StoredRecord> records = load(ids.subList(from, Math.min(ids.size(), from + BATCH)));
            if (records.isEmpty()) {
                throw new RecordNotFound(ids.get(from).toString());
            }
            Map<Long, List<JudgedRow>> byFile = new HashMap<>();
            Map<FileRow, StoredRecord> byRow = new HashMap<>();
            for (StoredRecord record : records) {
                if (record.holdsLineItem()) {
                    // Its item is in the ledger: replaying it could only say DUPLICATE of itself. Nothing to do.
                    totals.merge(Outcome.APPLIED, 1, Integer::sum);
                    if (fileId == null) {
                        replayed.add(new ReplayedRecord(record.id(), record.externalId(), record.latestOutcome(),
                                Outcome.APPLIED.name(), null, "already in the ledger from this record", false));
                    }
                    continue;
                }
                PartnerMapping mapping = mappings.find(record.mapping())
                        .orElseThrow(() -> new MappingRetired(record.id(), record.mapping()));
                SourceRow row = OverlongInput.isCut(record.raw())
                        ? OverlongInput.reread(record.rowNumber(), record.raw())
                        : mapping.reread(record.rowNumber(), record.raw());
                byFile.computeIfAbsent(record.fileId(), f -> new ArrayList<>())
                        .add(FileIngestion.judge(rules, row).forRecord(record.id()));
                byRow.put(new FileRow(record.fileId(), record.rowNumber()), record);
            }
            for (Map.Entry<Long, List<JudgedRow>> file : byFile.entrySet()) {
                StoredRecord first = byRow.values().stream().filter(r -> r.fileId() == file.getKey()).findFirst()
                        .orElseThrow();
                Map<Integer, RowOutcome> outcomes = dryRun ? preview.predict(first.partnerId(), file.getValue())
                        : apply(first, runKey, file.getValue());
                for (JudgedRow row : file.getValue()) {
                    StoredRecord record = byRow.get(new FileRow(file.getKey(), row.rowNumber()));
                    RowOutcome outcome = outcomes.get(row.rowNumber());
                    totals.merge(outcome.outcome(), 1, Integer::sum);
                    boolean changed = !outcome.outcome().name().equals(record.latestOutcome());
                    if (fileId == null || changed) {
                        replayed.add(new ReplayedRecord(record.id(), record.externalId(), record.latestOutcome(),
                                outcome.outcome().name(), outcome.reasonCode(), outcome.message(), changed));
                    }
                    if (!dryRun && fileId == null) {
                        audit.record("record.replayed", "record", Long.toString(record.id()),
                                Map.of("outcome", String.valueOf(record.latestOutcome())),
                                Map.of("outcome", outcome.outcome().name()));
                    }
                }
            }
        }
        return new ReplayReport(dryRun, fileId, null, null, totals, replayed);
    }

    private Map<Integer, RowOutcome> apply(StoredRecord first, String runKey, List<JudgedRow> rows) {
        applier.apply(BatchApplier.Run.overKeptRecords(first.fileId(), first.partnerId(), first.channel(), runKey,
                clock.instant()), rows, false);
        Map<Integer, RowOutcome> outcomes = new HashMap<>();
        jdbc.sql("""
                        select r.row_number, a.outcome, a.reason_code, a.message from attempts a
                        join source_records r on r.id = a.source_record_id
                        where r.id in (:ids) and a.run_key = :runKey""")
                .param("ids", rows.stream().map(JudgedRow::recordId).toList()).param("runKey", runKey)
                .query(rs -> {
                    outcomes.put(rs.getInt(1), new RowOutcome(Outcome.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4)));
                });
        return outcomes;
    }

    private ReplayReport rereadFromArchive(SourceFiles.Receipt receipt, boolean dryRun) {
        if (receipt.archiveKey() == null) {
            throw new FileNotArchived(receipt.id());
        }
        try (TempFile copy = TempFile.reserve("replay-" + receipt.id() + "-")) {
            Path local = copy.path();
            archive.fetch(receipt.archiveKey(), local);
            if (dryRun) {
                PartnerMapping mapping = mappings.require(receipt.mapping());
                Optional<String> refusal;
                try (var in = Files.newInputStream(local)) {
                    refusal = mapping.refusal(in, limits.read());
                }
                return new ReplayReport(true, receipt.id(), (refusal.isPresent() ? FileStatus.FAILED : FileStatus.DONE).name(),
                        refusal.orElse(null), Map.of(), List.of());
            }
            sourceFiles.reopen(receipt.id());
            IngestResult result = ingestion.run(sourceFiles.find(receipt.id()).orElseThrow(), local);
            audit.record("file.replayed", "file", Long.toString(receipt.id()),
                    Map.of("status", receipt.status().name()), Map.of("status", result.status().name()));
            return new ReplayReport(false, receipt.id(), result.status().name(), result.failureReason(),
                    result.counts(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long count(long fileId) {
        return jdbc.sql("select count(*) from source_records where source_file_id = :file").param("file", fileId)
                .query(Long.class).single();
    }

    private List<StoredRecord> load(List<Long> ids) {
        return jdbc.sql("""
                        select r.id, r.source_file_id, r.partner_id, f.channel, f.mapping, r.row_number, r.raw,
                               r.external_id,
                               (select la.outcome from latest_attempts la where la.source_record_id = r.id)
                                   as latest,
                               exists (select 1 from line_items li where li.partner_id = r.partner_id
                                 and li.external_id = r.external_id and li.source_record_id = r.id) as holds
                        from source_records r join source_files f on f.id = r.source_file_id
                        where r.id in (:ids) order by r.source_file_id, r.row_number""")
                .param("ids", ids)
                .query((rs, n) -> new StoredRecord(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        Channel.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getBoolean(10)))
                .list();
    }
}
