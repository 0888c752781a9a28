package com.invoicehub.ingest.lookup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.lookup.IngestViews.AttemptView;
import com.invoicehub.ingest.lookup.IngestViews.FileView;
import com.invoicehub.ingest.lookup.IngestViews.LineItemView;
import com.invoicehub.ingest.lookup.IngestViews.RecordView;
import com.invoicehub.ingest.pipeline.ResultsFiles;
import com.invoicehub.shared.Money;

/**
 * Read side of ingestion: receipts with their counts, records with every attempt, attempts by filter, a receipt's
 * rows by their latest outcome, and the counts the console's overview shows.
 */
@Repository
public class IngestQueries {

    /** A receipt's row as its latest attempt left it. */
    public record FileRow(long recordId, int rowNumber, String externalId, Outcome outcome, String reasonCode,
                          String message) {
    }

    /** Receipts filtered by any of partner, channel, status and the day received (from inclusive, to exclusive). */
    public record FileFilter(String partnerId, Channel channel, FileStatus status, Instant receivedFrom,
                             Instant receivedTo) {

        public static final FileFilter ALL = new FileFilter(null, null, null, null, null);
    }

    /** What needs a person in ingestion: receipts refused whole, records whose latest attempt is ERROR or CONFLICT. */
    public record Attention(long failedFiles, long errorRecords, long conflictRecords) {
    }

    private static final String ATTEMPT_COLUMNS = """
            a.id, a.source_record_id, r.source_file_id, a.partner_id, a.external_id, a.channel, a.outcome,
            a.reason_code, a.message, a.at""";

    private final JdbcClient jdbc;
    private final ResultsFiles results;

    IngestQueries(JdbcClient jdbc, ResultsFiles results) {
        this.jdbc = jdbc;
        this.results = results;
    }

    public List<FileView> files(FileFilter filter, Long beforeId, int limit) {
        return files(filter, beforeId, limit, true);
    }

    /**
     * {@code counted}: each file with its outcome counts (an aggregate over its rows); a list a person scrolls does
     * without them.
     */
    public List<FileView> files(FileFilter filter, Long beforeId, int limit, boolean counted) {
        return jdbc.sql("""
                        select * from source_files
                        where (cast(:partner as text) is null or partner_id = :partner)
                          and (cast(:channel as text) is null or channel = :channel)
                          and (cast(:status as text) is null or status = :status)
                          and (cast(:from as timestamptz) is null or received_at >= :from)
                          and (cast(:to as timestamptz) is null or received_at < :to)
                          and id < :before
                        order by id desc limit :limit""")
                .param("partner", filter.partnerId())
                .param("channel", filter.channel() == null ? null : filter.channel().name())
                .param("status", filter.status() == null ? null : filter.status().name())
                .param("from", timestamp(filter.receivedFrom())).param("to", timestamp(filter.receivedTo()))
                .param("before", beforeId == null ? Long.MAX_VALUE : beforeId).param("limit", limit)
                .query((rs, row) -> toFile(rs, counted)).list();
    }

    /**
     * Records received since {@code since} whose latest attempt has {@code outcome}, newest record first (pages go
     * by record id): what is still left to look at (a record replayed since is no longer listed).
     */
    public List<AttemptView> latestAttempts(String partnerId, Outcome outcome, Instant since, Long beforeId,
                                            int limit) {
        return jdbc.sql("""
                        select l.attempt_id, l.source_record_id, l.source_file_id, l.partner_id, l.external_id,
                               f.channel, l.outcome, l.reason_code, l.message, l.at
                        from latest_attempts l join source_files f on f.id = l.source_file_id
                        where l.received_at >= :since and l.outcome = :outcome
                          and (cast(:partner as text) is null or l.partner_id = :partner)
                          and l.source_record_id < :before
                        order by l.source_record_id desc limit :limit""")
                .param("since", timestamp(since)).param("outcome", outcome.name()).param("partner", partnerId)
                .param("before", beforeId == null ? Long.MAX_VALUE : beforeId).param("limit", limit)
                .query(IngestQueries::attempt).list();
    }

    /** The rows of a receipt in order, as their latest attempts left them; only those of {@code outcome} if given. */
    public List<FileRow> rows(long fileId, Outcome outcome, int limit) {
        return jdbc.sql("""
                        select source_record_id, row_number, external_id, outcome, reason_code, message
                        from latest_attempts
                        where source_file_id = :file and outcome is not null
                          and (cast(:outcome as text) is null or outcome = :outcome)
                        order by row_number limit :limit""")
                .param("file", fileId).param("outcome", outcome == null ? null : outcome.name())
                .param("limit", limit)
                .query((rs, n) -> new FileRow(rs.getLong(1), rs.getInt(2), rs.getString(3),
                        Outcome.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6)))
                .list();
    }

    /** Receipts received in [from, to) by status. */
    public Map<FileStatus, Long> receipts(Instant from, Instant to) {
        Map<FileStatus, Long> counts = new EnumMap<>(FileStatus.class);
        for (FileStatus status : FileStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("select status, count(*) from source_files where received_at >= :from and received_at < :to "
                        + "group by status")
                .param("from", timestamp(from)).param("to", timestamp(to))
                .query(rs -> {
                    counts.put(FileStatus.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return counts;
    }

    /** Receipts FAILED, and records received since {@code since} whose latest attempt is ERROR or CONFLICT. */
    public Attention attention(Instant since) {
        long failed = jdbc.sql("select count(*) from source_files where status = :failed")
                .param("failed", FileStatus.FAILED.name()).query(Long.class).single();
        Map<String, Long> records = new HashMap<>();
        jdbc.sql("""
                        select outcome, count(*) from latest_attempts
                        where received_at >= :since and outcome in (:outcomes) group by outcome""")
                .param("since", timestamp(since))
                .param("outcomes", List.of(Outcome.ERROR.name(), Outcome.CONFLICT.name()))
                .query(rs -> {
                    records.put(rs.getString(1), rs.getLong(2));
                });
        return new Attention(failed, records.getOrDefault(Outcome.ERROR.name(), 0L),
                records.getOrDefault(Outcome.CONFLICT.name(), 0L));
    }

    /** The record a line item was applied from (the "explain this line" path, from the invoice down). */
    public Optional<Long> recordOfLineItem(long lineItemId) {
        return jdbc.sql("select source_record_id from line_items where id = :id").param("id", lineItemId)
                .query(Long.class).optional();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public Optional<FileView> file(long id) {
        return file(id, true);
    }

    public Optional<FileView> file(long id, boolean counted) {
        return jdbc.sql("select * from source_files where id = :id").param("id", id)
                .query((rs, row) -> toFile(rs, counted)).optional();
    }

    public Optional<RecordView> record(long id) {
        List<AttemptView> attempts = jdbc.sql("select " + ATTEMPT_COLUMNS + """
                         from attempts a join source_records r on r.id = a.source_record_id
                        where a.source_record_id = :id order by a.id""")
                .param("id", id).query(IngestQueries::attempt).list();
        return jdbc.sql("select * from source_records where id = :id").param("id", id)
                .query((rs, n) -> {
                    Optional<LineItemView> lineItem = lineItem(rs.getString("partner_id"), rs.getString("external_id"),
                            rs.getLong("id"));
                    return new RecordView(rs.getLong("id"), rs.getString("partner_id"), rs.getString("external_id"),
                            rs.getString("raw"), rs.getInt("row_number"), rs.getLong("source_file_id"), attempts,
                            lineItem.map(LineItemView::id).orElse(null),
                            lineItem.map(LineItemView::invoiceId).orElse(null), lineItem.orElse(null));
                }).optional();
    }

    /** The line item this record applied, if it is the one the ledger holds for its source key. */
    private Optional<LineItemView> lineItem(String partnerId, String externalId, long recordId) {
        return jdbc.sql("""
                        select * from line_items
                        where partner_id = :partner and external_id = :key and source_record_id = :id""")
                .param("partner", partnerId).param("key", externalId).param("id", recordId)
                .query((rs, n) -> new LineItemView(rs.getLong("id"), rs.getString("external_id"),
                        rs.getString("customer_id"), rs.getString("customer_user_id"), rs.getString("user_name"),
                        rs.getString("expense_type"), new Money(rs.getBigDecimal("amount"),
                                java.util.Currency.getInstance(rs.getString("currency").trim())).toPlainString(),
                        rs.getString("currency").trim(), rs.getObject("service_date", LocalDate.class),
                        rs.getString("description"), rs.getObject("applied_at", OffsetDateTime.class),
                        (Long) rs.getObject("invoice_id")))
                .optional();
    }

    public List<AttemptView> attempts(String partnerId, String outcome, OffsetDateTime from, OffsetDateTime to,
                               Long beforeId, int limit) {
        return jdbc.sql("select " + ATTEMPT_COLUMNS + """
                         from attempts a join source_records r on r.id = a.source_record_id
                        where (cast(:partner as text) is null or a.partner_id = :partner)
                          and (cast(:outcome as text) is null or a.outcome = :outcome)
                          and (cast(:from as timestamptz) is null or a.at >= :from)
                          and (cast(:to as timestamptz) is null or a.at < :to)
                          and a.id < :before
                        order by a.id desc limit :limit""")
                .param("partner", partnerId).param("outcome", outcome)
                .param("from", from == null ? null : Timestamp.from(from.toInstant()))
                .param("to", to == null ? null : Timestamp.from(to.toInstant()))
                .param("before", beforeId == null ? Long.MAX_VALUE : beforeId).param("limit", limit)
                .query(IngestQueries::attempt).list();
    }

    private FileView toFile(ResultSet rs, boolean counted) throws SQLException {
        long id = rs.getLong("id");
        return new FileView(id, rs.getString("partner_id"), Channel.valueOf(rs.getString("channel")),
                rs.getString("name"),
                rs.getString("mapping"), rs.getLong("size_bytes"), rs.getString("sha256"),
                rs.getObject("received_at", OffsetDateTime.class), FileStatus.valueOf(rs.getString("status")),
                rs.getString("failure_reason"), (Integer) rs.getObject("rows_total"), rs.getInt("rows_done"),
                (Long) rs.getObject("resend_of"), rs.getString("archive_key"), rs.getInt("failed_tries"),
                rs.getString("last_error"), counted ? results.counts(id) : Map.of());
    }

    private static AttemptView attempt(ResultSet rs, int row) throws SQLException {
        return new AttemptView(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                Channel.valueOf(rs.getString(6)), Outcome.valueOf(rs.getString(7)), rs.getString(8), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class));
    }
}
