package com.invoicehub.ingest.pipeline;

import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.mapping.Rejection;
import com.invoicehub.ledger.ValidLineItem;

/**
 * A source row after the mapping and the hub's rules: a valid item to apply, or an outcome already decided
 * (REJECTED with its reason, or ERROR when judging it failed for a reason that is not the row's fault).
 */
public record JudgedRow(int rowNumber, String raw, String externalId, ValidLineItem item, Outcome decided,
                        String reasonCode, String message, Long recordId) {

    /** The same judgement for a record that is already kept (replay). */
    public JudgedRow forRecord(long id) {
        return new JudgedRow(rowNumber, raw, externalId, item, decided, reasonCode, message, id);
    }

    /** The same judgement at another row number (a message's row within the receipt of its group). */
    public JudgedRow numbered(int number) {
        return new JudgedRow(number, raw, externalId, item, decided, reasonCode, message, recordId);
    }

    /** This row refused after all (e.g. its customer's currency changed meanwhile), keeping its record id. */
    public JudgedRow refused(Rejection rejection) {
        return new JudgedRow(rowNumber, raw, externalId, null, Outcome.REJECTED, rejection.code().name(),
                rejection.message(), recordId);
    }

    public static JudgedRow valid(int rowNumber, String raw, ValidLineItem item) {
        return new JudgedRow(rowNumber, raw, item.externalId(), item, null, null, null, null);
    }

    public static JudgedRow rejected(int rowNumber, String raw, String externalId, String reasonCode, String message) {
        return new JudgedRow(rowNumber, raw, externalId, null, Outcome.REJECTED, reasonCode, message, null);
    }

    public static JudgedRow error(int rowNumber, String raw, String externalId, String message) {
        return new JudgedRow(rowNumber, raw, externalId, null, Outcome.ERROR, null, message, null);
    }
}
