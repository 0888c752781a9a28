package com.invoicehub.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Predicts outcomes without writing anything (dry runs of replays and of mappings): the rows' own verdicts, and for
 * valid rows the ledger's current state of their source key. Answers {outcome, reason, message} per row number.
 */
@Component
public class OutcomePreview {

    private final JdbcClient jdbc;

    OutcomePreview(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the database would decide, without writing: the ledger's current state for each source key. */
    public Map<Integer, String[]> predict(String partnerId, List<JudgedRow> rows) {
        Map<String, String[]> ledger = new HashMap<>();
        List<String> keys = rows.stream().filter(r -> r.item() != null).map(JudgedRow::externalId).toList();
        if (!keys.isEmpty()) {
            jdbc.sql("select external_id, content_hash, source_record_id from line_items "
                            + "where partner_id = :partner and external_id in (:keys)")
                    .param("partner", partnerId).param("keys", keys)
                    .query(rs -> {
                        ledger.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                    });
        }
        Map<Integer, String[]> outcomes = new HashMap<>();
        for (JudgedRow row : rows) {
            if (row.decided() != null) {
                outcomes.put(row.rowNumber(), new String[] {row.decided().name(), row.reasonCode(), row.message()});
                continue;
            }
            String[] applied = ledger.get(row.externalId());
            if (applied == null) {
                outcomes.put(row.rowNumber(), new String[] {"APPLIED", null, null});
                ledger.put(row.externalId(), new String[] {row.item().contentHash(), "this replay"});
            } else if (applied[0].equals(row.item().contentHash())) {
                outcomes.put(row.rowNumber(), new String[] {"DUPLICATE", null,
                        "already applied from record " + applied[1]});
            } else {
                outcomes.put(row.rowNumber(), new String[] {"CONFLICT", null,
                        "applied before from record " + applied[1] + " with different content; nothing changed"});
            }
        }
        return outcomes;
    }
}
