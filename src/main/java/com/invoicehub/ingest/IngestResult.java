package com.invoicehub.ingest;

import java.util.Map;

/**
 * What became of a file: DONE (rows applied, each with its outcome) or FAILED (refused whole, with the reason),
 * and the per-row results file for the partner. {@link #folder()} is where the channel moves the original.
 */
public record IngestResult(long fileId, FileStatus status, String failureReason, Map<Outcome, Integer> counts) {

    public String folder() {
        return status == FileStatus.FAILED ? "failed" : "processed";
    }

    public boolean failed() {
        return status == FileStatus.FAILED;
    }
}
