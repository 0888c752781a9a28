package com.invoicehub.ingest.lookup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.invoicehub.ingest.lookup.IngestViews.AttemptView;
import com.invoicehub.ingest.lookup.IngestViews.FileView;
import com.invoicehub.ingest.lookup.IngestViews.LineItemView;
import com.invoicehub.ingest.lookup.IngestViews.RecordView;
import com.invoicehub.ingest.pipeline.ResultsFiles;
import com.invoicehub.shared.Money;

/** Read side of ingestion: receipts with their counts, records with every attempt, attempts by filter. */
@Repository
class IngestQueries {

    private static final String ATTEMPT_COLUMNS = """
            a.id, a.source_record_id, r.source_file_id, a.partner_id, a.external_id, a.channel, a.outcome,
            a.reason_code, a.message, a.at""";

    private final JdbcClient jdbc;
    private final ResultsFiles results;

    IngestQueries(JdbcClient jdbc, ResultsFiles results) {
        this.jdbc = jdbc;
        this.results = results;
    }

    List<FileView> files(String partnerId, String status, Long beforeId, int limit) {
        return jdbc.sql("""
                        select * from source_files
                        where (cast(:partner as text) is null or partner_id = :partner)
                          and (cast(:status as text) is null or status = :status)
                          and id < :before
                        order by id desc limit :limit""")
                .param("partner", partnerId).param("status", status)
                .param("before", beforeId == null ? Long.MAX_VALUE : beforeId).param("limit", limit)
                .query(this::toFile).list();
    }

    Optional<FileView> file(long id) {
        return jdbc.sql("select * from source_files where id = :id").param("id", id).query(this::toFile).optional();
    }

    Optional<RecordView> record(long id) {
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

    List<AttemptView> attempts(String partnerId, String outcome, OffsetDateTime from, OffsetDateTime to,
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

    private FileView toFile(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        return new FileView(id, rs.getString("partner_id"), rs.getString("channel"), rs.getString("name"),
                rs.getString("mapping"), rs.getLong("size_bytes"), rs.getString("sha256"),
                rs.getObject("received_at", OffsetDateTime.class), rs.getString("status"),
                rs.getString("failure_reason"), (Integer) rs.getObject("rows_total"), rs.getInt("rows_done"),
                (Long) rs.getObject("resend_of"), rs.getString("archive_key"), rs.getInt("failed_tries"),
                rs.getString("last_error"), results.counts(id));
    }

    private static AttemptView attempt(ResultSet rs, int row) throws SQLException {
        return new AttemptView(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class));
    }
}
