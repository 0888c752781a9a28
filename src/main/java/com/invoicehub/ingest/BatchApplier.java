package com.invoicehub.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a batch of judged rows in one transaction, set-based. A receipt's new rows are COPYed straight into
 * {@code source_records} (ids drawn from the sequence in one round trip) and, with their verdicts, into a temporary
 * staging table; then three {@code INSERT ... SELECT ... ON CONFLICT} statements apply the valid rows to the ledger,
 * decide APPLIED / DUPLICATE / CONFLICT in the database (so two nodes racing on one source key cannot both apply
 * it), record one attempt per row and run, and learn customer users. A batch commits with the receipt's resume point,
 * so a run cut short resumes after its last whole batch; a replay's rows are records already kept.
 */
@Component
public class BatchApplier {

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    BatchApplier(DataSource dataSource, JdbcClient jdbc, TransactionTemplate transaction) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** The receipt and run a batch belongs to; {@code at} also marks the line items this batch applies. */
    public record Run(long fileId, String partnerId, Channel channel, String runKey, Instant at) {
    }

    /**
     * Applies rows. For a receipt's own run ({@code newRecords}) the rows are kept as new source records and the
     * resume point advances; otherwise each row carries the id of the record it replays.
     */
    public Map<Outcome, Integer> apply(Run run, List<JudgedRow> rows, boolean newRecords) {
        if (rows.isEmpty()) {
            return new EnumMap<>(Outcome.class);
        }
        return transaction.execute(status -> {
            Timestamp at = Timestamp.from(run.at());
            List<JudgedRow> batch = newRecords ? keep(run, rows) : rows;
            stage(batch);
            jdbc.sql("""
                            insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                                    expense_type, amount, currency, service_date, description,
                                                    content_hash, source_record_id, applied_at)
                            select :partner, b.external_id, b.customer_id, b.customer_user_id, b.user_name,
                                   b.expense_type, b.amount, b.currency, b.service_date, b.description,
                                   b.content_hash, b.record_id, :at
                            from ingest_batch b
                            where b.decided is null
                            order by b.row_number
                            on conflict (partner_id, external_id) do nothing
                            """)
                    .param("partner", run.partnerId()).param("at", at).update();
            List<String> outcomes = jdbc.sql("""
                            insert into attempts (source_record_id, partner_id, external_id, channel, run_key, outcome,
                                                  reason_code, message, at)
                            select b.record_id, :partner, b.external_id, :channel, :runKey,
                                   case when b.decided is not null then b.decided
                                        when li.source_record_id = b.record_id and li.applied_at = :at then 'APPLIED'
                                        when li.content_hash = b.content_hash then 'DUPLICATE'
                                        else 'CONFLICT' end,
                                   b.reason_code,
                                   case when b.decided is not null then b.message
                                        when li.source_record_id = b.record_id and li.applied_at = :at then null
                                        when li.content_hash = b.content_hash then
                                             'already applied from record ' || li.source_record_id
                                        else 'applied before from record ' || li.source_record_id
                                             || ' with different content; nothing changed' end,
                                   :at
                            from ingest_batch b
                            left join line_items li on li.partner_id = :partner and li.external_id = b.external_id
                                                   and b.decided is null
                            on conflict (source_record_id, run_key) do nothing
                            returning outcome
                            """)
                    .param("partner", run.partnerId()).param("channel", run.channel().name())
                    .param("runKey", run.runKey()).param("at", at).query(String.class).list();
            jdbc.sql("""
                            insert into customer_users (customer_id, id, name, first_seen_at, updated_at)
                            select distinct on (b.customer_id, b.customer_user_id)
                                   b.customer_id, b.customer_user_id, b.user_name, :at, :at
                            from ingest_batch b
                            join line_items li on li.partner_id = :partner and li.external_id = b.external_id
                                              and li.applied_at = :at and li.source_record_id = b.record_id
                            where b.decided is null
                              and not exists (select 1 from customer_users cu
                                              where cu.customer_id = b.customer_id and cu.id = b.customer_user_id
                                                and cu.name is not distinct from b.user_name)
                            order by b.customer_id, b.customer_user_id, b.row_number desc
                            on conflict (customer_id, id) do update
                                set name = coalesce(excluded.name, customer_users.name), updated_at = excluded.updated_at
                            """)
                    .param("partner", run.partnerId()).param("at", at).update();
            if (newRecords) {
                jdbc.sql("""
                                update source_files
                                set last_row_number = greatest(last_row_number, :last),
                                    rows_done = rows_done + :count, updated_at = :at
                                where id = :file""")
                        .param("file", run.fileId()).param("last", rows.get(rows.size() - 1).rowNumber())
                        .param("count", rows.size()).param("at", at).update();
            }
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            outcomes.forEach(outcome -> counts.merge(Outcome.valueOf(outcome), 1, Integer::sum));
            return counts;
        });
    }

    /** Keeps the rows as sent: new source records, COPYed with ids drawn in one round trip. */
    private List<JudgedRow> keep(Run run, List<JudgedRow> rows) {
        List<Long> ids = jdbc.sql("select nextval('source_records_id_seq') from generate_series(1, :n)")
                .param("n", rows.size()).query(Long.class).list();
        List<JudgedRow> kept = new ArrayList<>(rows.size());
        StringBuilder copy = new StringBuilder(rows.size() * 160);
        String fileId = Long.toString(run.fileId());
        String receivedAt = run.at().toString();
        for (int i = 0; i < rows.size(); i++) {
            JudgedRow row = rows.get(i).forRecord(ids.get(i));
            kept.add(row);
            field(copy, Long.toString(row.recordId()));
            field(copy, fileId);
            field(copy, run.partnerId());
            field(copy, Integer.toString(row.rowNumber()));
            field(copy, row.externalId());
            field(copy, row.raw());
            last(copy, receivedAt);
        }
        copyIn("copy source_records (id, source_file_id, partner_id, row_number, external_id, raw, received_at) "
                + "from stdin", copy);
        return kept;
    }

    private void stage(List<JudgedRow> rows) {
        jdbc.sql("""
                        create temporary table if not exists ingest_batch (
                            record_id bigint, row_number int, external_id text, customer_id text,
                            customer_user_id text, user_name text, expense_type text, amount numeric(19,4),
                            currency char(3), service_date date, description text, content_hash char(64),
                            decided text, reason_code text, message text
                        ) on commit delete rows""").update();
        StringBuilder copy = new StringBuilder(rows.size() * 200);
        for (JudgedRow row : rows) {
            var item = row.item();
            field(copy, Long.toString(row.recordId()));
            field(copy, Integer.toString(row.rowNumber()));
            field(copy, row.externalId());
            field(copy, item == null ? null : item.customerId());
            field(copy, item == null ? null : item.customerUserId());
            field(copy, item == null ? null : item.userName());
            field(copy, item == null ? null : item.expenseType().name());
            field(copy, item == null ? null : item.amount().toPlainString());
            field(copy, item == null ? null : item.amount().currency().getCurrencyCode());
            field(copy, item == null ? null : item.serviceDate().toString());
            field(copy, item == null ? null : item.description());
            field(copy, item == null ? null : item.contentHash());
            field(copy, row.decided() == null ? null : row.decided().name());
            field(copy, row.reasonCode());
            last(copy, row.message());
        }
        copyIn("copy ingest_batch from stdin", copy);
        // A fresh temporary table has no statistics: without them the planner may scan the ledger per batch.
        jdbc.sql("analyze ingest_batch").update();
    }

    private void copyIn(String sql, StringBuilder rows) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(rows.toString()));
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static void field(StringBuilder out, String value) {
        escape(out, value);
        out.append('\t');
    }

    private static void last(StringBuilder out, String value) {
        escape(out, value);
        out.append('\n');
    }

    /** COPY text format: \N is null; backslash, tab, newline and carriage return are escaped. */
    private static void escape(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> { /* PostgreSQL text cannot hold NUL; the archived original keeps it */ }
                default -> out.append(c);
            }
        }
    }
}
