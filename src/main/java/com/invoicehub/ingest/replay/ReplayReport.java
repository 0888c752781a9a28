package com.invoicehub.ingest.replay;

import java.util.List;
import java.util.Map;

import com.invoicehub.ingest.Outcome;

/** What a replay of records or of a file did (CONTRACT §10). */
public record ReplayReport(boolean dryRun, Long fileId, String fileStatus, String failureReason,
                           Map<Outcome, Integer> outcomes, List<ReplayedRecord> records) {
}
