package com.invoicehub.ingest.replay;

/** What a replay did (or, in a dry run, would do) to one record. */
public record ReplayedRecord(long recordId, String externalId, String previousOutcome, String outcome, String reason,
                             String message, boolean changed) {
}
