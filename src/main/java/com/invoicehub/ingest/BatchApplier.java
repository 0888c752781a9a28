package com.invoicehub.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a batch of judged rows in one transaction, set-based: the rows are COPYed into a temporary staging table,
 * then a handful of {@code INSERT ... SELECT ... ON CONFLICT} statements keep each row as sent, apply the valid
 * ones to the ledger, decide APPLIED / DUPLICATE / CONFLICT in the database (so two nodes racing on one source key
 * cannot both apply it), record one attempt per row and run, and learn customer users. A batch that is retried
 * (crash, second node) changes nothing twice: every insert is keyed.
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

    public Map<Outcome, Integer> apply(Run run, List<JudgedRow> rows, boolean advanceResumePoint) {
        return transaction.execute(status -> {
            stage(rows);
            Timestamp at = Timestamp.from(run.at());
            jdbc.sql("""
                            insert into source_records (source_file_id, partner_id, row_number, external_id, raw,
                                                        received_at)
                            select :file, :partner, row_number, external_id, raw, :at from ingest_batch
                            on conflict (source_file_id, row_number) do nothing
                            """)
                    .param("file", run.fileId()).param("partner", run.partnerId()).param("at", at).update();
            jdbc.sql("""
                            insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                                    expense_type, amount, currency, service_date, description,
                                                    content_hash, source_record_id, applied_at)
                            select :partner, b.external_id, b.customer_id, b.customer_user_id, b.user_name,
                                   b.expense_type, b.amount, b.currency, b.service_date, b.description,
                                   b.content_hash, r.id, :at
                            from ingest_batch b
                            join source_records r on r.source_file_id = :file and r.row_number = b.row_number
                            where b.decided is null
                              and not exists (select 1 from attempts a where a.source_record_id = r.id
                                                                         and a.run_key = :runKey)
                            order by b.row_number
                            on conflict (partner_id, external_id) do nothing
                            """)
                    .param("file", run.fileId()).param("partner", run.partnerId()).param("at", at)
                    .param("runKey", run.runKey()).update();
            jdbc.sql("""
                            insert into attempts (source_record_id, partner_id, external_id, channel, run_key, outcome,
                                                  reason_code, message, at)
                            select r.id, :partner, b.external_id, :channel, :runKey,
                                   case when b.decided is not null then b.decided
                                        when li.source_record_id = r.id and li.applied_at = :at then 'APPLIED'
                                        when li.content_hash = b.content_hash then 'DUPLICATE'
                                        else 'CONFLICT' end,
                                   b.reason_code,
                                   case when b.decided is not null then b.message
                                        when li.source_record_id = r.id and li.applied_at = :at then null
                                        when li.content_hash = b.content_hash then
                                             'already applied from record ' || li.source_record_id
                                        else 'applied before from record ' || li.source_record_id
                                             || ' with different content; nothing changed' end,
                                   :at
                            from ingest_batch b
                            join source_records r on r.source_file_id = :file and r.row_number = b.row_number
                            left join line_items li on li.partner_id = :partner and li.external_id = b.external_id
                                                   and b.decided is null
                            on conflict (source_record_id, run_key) do nothing
                            """)
                    .param("file", run.fileId()).param("partner", run.partnerId())
                    .param("channel", run.channel().name()).param("runKey", run.runKey()).param("at", at).update();
            jdbc.sql("""
                            insert into customer_users (customer_id, id, name, first_seen_at, updated_at)
                            select distinct on (b.customer_id, b.customer_user_id)
                                   b.customer_id, b.customer_user_id, b.user_name, :at, :at
                            from ingest_batch b
                            join line_items li on li.partner_id = :partner and li.external_id = b.external_id
                                              and li.applied_at = :at
                            where b.decided is null
                            order by b.customer_id, b.customer_user_id, b.row_number desc
                            on conflict (customer_id, id) do update
                                set name = coalesce(excluded.name, customer_users.name), updated_at = excluded.updated_at
                            """)
                    .param("partner", run.partnerId()).param("at", at).update();
            if (advanceResumePoint && !rows.isEmpty()) {
                jdbc.sql("""
                                update source_files
                                set last_row_number = greatest(last_row_number, :last),
                                    rows_done = (select count(*) from source_records where source_file_id = :file),
                                    updated_at = :at
                                where id = :file""")
                        .param("file", run.fileId()).param("last", rows.get(rows.size() - 1).rowNumber())
                        .param("at", at).update();
            }
            return outcomes(run, rows);
        });
    }

    /** This run's outcomes for the batch's rows (also those an earlier try of the same run committed). */
    private Map<Outcome, Integer> outcomes(Run run, List<JudgedRow> rows) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        jdbc.sql("""
                        select a.outcome, count(*) from attempts a
                        join source_records r on r.id = a.source_record_id
                        join ingest_batch b on b.row_number = r.row_number
                        where r.source_file_id = :file and a.run_key = :runKey
                        group by a.outcome""")
                .param("file", run.fileId()).param("runKey", run.runKey())
                .query(rs -> {
                    counts.put(Outcome.valueOf(rs.getString(1)), rs.getInt(2));
                });
        return counts;
    }

    private void stage(List<JudgedRow> rows) {
        jdbc.sql("""
                        create temporary table if not exists ingest_batch (
                            row_number int, raw text, external_id text, customer_id text, customer_user_id text,
                            user_name text, expense_type text, amount numeric(19,4), currency char(3),
                            service_date date, description text, content_hash char(64), decided text,
                            reason_code text, message text
                        ) on commit delete rows""").update();
        StringBuilder copy = new StringBuilder(rows.size() * 200);
        for (JudgedRow row : rows) {
            var item = row.item();
            field(copy, Integer.toString(row.rowNumber()));
            field(copy, row.raw());
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
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy ingest_batch from stdin", new StringReader(copy.toString()));
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into the staging table failed", e);
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
                case '\0' -> { /* PostgreSQL text cannot hold NUL; a partner's NUL byte is dropped */ }
                default -> out.append(c);
            }
        }
    }
}
