package com.invoicehub.ingest.replay;

import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.pipeline.JudgedRow;

/** How a row ended (or would end, in a dry run): its outcome, the reason code when REJECTED, and the message. */
public record RowOutcome(Outcome outcome, String reasonCode, String message) {

    /** The verdict a row already carries (the mapping's or the rules'), or APPLIED for a valid row. */
    static RowOutcome ofJudged(JudgedRow row) {
        return row.decided() != null ? new RowOutcome(row.decided(), row.reasonCode(), row.message())
                : new RowOutcome(Outcome.APPLIED, null, null);
    }
}
