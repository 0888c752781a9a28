package com.invoicehub.ingest.lookup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.replay.Replays;
import com.invoicehub.shared.Money;

/**
 * Where line items came from, for "explain this line": for each item the source record it was applied from (the row
 * as the partner sent it), its receipt (the file, or the webhook call or SQS message, and the row in it), every
 * attempt of that record with the run that made it (the receipt, a replay, the sweep's retry), and the other receipts
 * of the same source key (a resend judged DUPLICATE, an earlier copy REJECTED). Three queries for any number of items
 * (ids bound as one array each), not three per item.
 */
@Repository
public class LineItemOrigins {

    /** What made an attempt: the receipt's own reading, an ops replay, or the sweep retrying an ERROR attempt. */
    public enum AttemptRun {
        RECEIPT, REPLAY, ERROR_RETRY;

        /** The run named by a stored run key ({@code receipt}, {@code replay-<uuid>}, {@code retry-of-<id>}). */
        public static AttemptRun of(String runKey) {
            if (FileIngestion.RECEIPT_RUN.equals(runKey)) {
                return RECEIPT;
            }
            if (runKey.startsWith(Replays.REPLAY_RUN_PREFIX)) {
                return REPLAY;
            }
            if (runKey.startsWith(Replays.ERROR_RETRY_RUN_PREFIX)) {
                return ERROR_RETRY;
            }
            throw new IllegalStateException("an attempt's run key '" + runKey + "' names no known run");
        }
    }

    /** One try to apply the record; {@code runKey} is shared by every record of one file replay. */
    public record Attempt(long id, AttemptRun run, String runKey, Outcome outcome, String reason, String message,
                          OffsetDateTime at) {
    }

    /**
     * The receipt a record came in: a file (SFTP, S3) with the record's row in it, or a message (webhook call, SQS
     * message) named by its {@code webhook-id} with the record's place in that message's items ({@code rowInMessage},
     * 1-based). A webhook call answered in a group shares its receipt with the other calls of the group:
     * {@code rowInReceipt} is the row in that receipt, {@code rowInMessage} the row in the call.
     */
    public record Receipt(long fileId, Channel channel, String name, String mapping, String sha256,
                          OffsetDateTime receivedAt, int rowInReceipt, String messageId, Integer rowInMessage) {
    }

    /** Another record of the same source key and how its latest attempt ended. */
    public record OtherReceipt(long recordId, long fileId, Channel channel, String fileName, int rowNumber,
                               Outcome latestOutcome, String reason, OffsetDateTime receivedAt) {
    }

    /**
     * A line item's origin: the item as the ledger applied it ({@code appliedAmount}, before any invoice correction),
     * its record as sent ({@code raw}), the receipt, every attempt in order, and the other receipts of its key.
     */
    public record Origin(long lineItemId, String partnerId, String externalId, Money appliedAmount,
                         OffsetDateTime appliedAt, long recordId, String raw, Receipt receipt, List<Attempt> attempts,
                         List<OtherReceipt> otherReceipts) {
    }

    private final JdbcClient jdbc;

    LineItemOrigins(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The origin of each of {@code lineItemIds} that exists, by line item id. */
    public Map<Long, Origin> of(Collection<Long> lineItemIds) {
        if (lineItemIds.isEmpty()) {
            return Map.of();
        }
        List<Origin> origins = jdbc.sql("""
                        select li.id as line_item_id, li.partner_id, li.external_id, li.amount, li.currency,
                               li.applied_at, r.id as record_id, r.raw, r.row_number, f.id as file_id, f.channel,
                               f.name, f.mapping, f.sha256, f.received_at, f.receipt_key, w.webhook_id, w.first_row
                        from line_items li
                        join source_records r on r.id = li.source_record_id
                        join source_files f on f.id = r.source_file_id
                        left join webhook_receipts w on w.partner_id = f.partner_id and w.source_file_id = f.id
                             and r.row_number between w.first_row and w.first_row + w.row_count - 1
                        where li.id = any(:ids)""")
                .param("ids", bigints(lineItemIds)).query(LineItemOrigins::origin).list();
        List<Long> recordIds = origins.stream().map(Origin::recordId).toList();
        if (recordIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, List<Attempt>> attempts = jdbc.sql("""
                        select source_record_id, id, run_key, outcome, reason_code, message, at
                        from attempts where source_record_id = any(:records) order by source_record_id, id""")
                .param("records", bigints(recordIds))
                .query((rs, n) -> Map.entry(rs.getLong(1), new Attempt(rs.getLong(2), AttemptRun.of(rs.getString(3)),
                        rs.getString(3), Outcome.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                        rs.getObject(7, OffsetDateTime.class))))
                .list().stream().collect(Collectors.groupingBy(Map.Entry::getKey, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Map<String, List<OtherReceipt>> others = jdbc.sql("""
                        select l.partner_id, l.external_id, l.source_record_id, l.source_file_id, f.channel, f.name,
                               l.row_number, l.outcome, l.reason_code, l.received_at
                        from latest_attempts l join source_files f on f.id = l.source_file_id
                        where (l.partner_id, l.external_id) in (select partner_id, external_id from line_items
                                                                where id = any(:ids))
                          and l.source_record_id <> all(:records)
                        order by l.source_record_id""")
                .param("ids", bigints(lineItemIds)).param("records", bigints(recordIds))
                .query((rs, n) -> Map.entry(sourceKey(rs.getString(1), rs.getString(2)),
                        new OtherReceipt(rs.getLong(3), rs.getLong(4), Channel.valueOf(rs.getString(5)),
                                rs.getString(6), rs.getInt(7),
                                rs.getString(8) == null ? null : Outcome.valueOf(rs.getString(8)), rs.getString(9),
                                rs.getObject(10, OffsetDateTime.class))))
                .list().stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return origins.stream().map(origin -> new Origin(origin.lineItemId(), origin.partnerId(), origin.externalId(),
                        origin.appliedAmount(), origin.appliedAt(), origin.recordId(), origin.raw(), origin.receipt(),
                        attempts.getOrDefault(origin.recordId(), List.of()),
                        others.getOrDefault(sourceKey(origin.partnerId(), origin.externalId()), List.of())))
                .collect(Collectors.toMap(Origin::lineItemId, Function.identity()));
    }

    /** Ids as one SQL array parameter: one bind value however long the line, not one per id. */
    private static SqlArrayValue bigints(Collection<Long> ids) {
        return new SqlArrayValue("bigint", ids.toArray());
    }

    private static String sourceKey(String partnerId, String externalId) {
        return partnerId + "\u0000" + externalId;
    }

    private static Origin origin(ResultSet rs, int row) throws SQLException {
        Channel channel = Channel.valueOf(rs.getString("channel"));
        int rowInReceipt = rs.getInt("row_number");
        boolean message = channel == Channel.WEBHOOK || channel == Channel.SQS;
        String webhookId = rs.getString("webhook_id");
        // A call in a group: its own id and its rows' place in it; a message alone: the receipt key is its id.
        String messageId = webhookId != null ? webhookId : message ? rs.getString("receipt_key") : null;
        Integer rowInMessage = null;
        if (webhookId != null) {
            rowInMessage = rowInReceipt - rs.getInt("first_row") + 1;
        } else if (message) {
            rowInMessage = rowInReceipt;
        }
        Receipt receipt = new Receipt(rs.getLong("file_id"), channel, rs.getString("name"), rs.getString("mapping"),
                rs.getString("sha256"), rs.getObject("received_at", OffsetDateTime.class), rowInReceipt, messageId,
                rowInMessage);
        return new Origin(rs.getLong("line_item_id"), rs.getString("partner_id"), rs.getString("external_id"),
                new Money(rs.getBigDecimal("amount"), Currency.getInstance(rs.getString("currency").trim())),
                rs.getObject("applied_at", OffsetDateTime.class), rs.getLong("record_id"), rs.getString("raw"), receipt,
                List.of(), List.of());
    }
}
