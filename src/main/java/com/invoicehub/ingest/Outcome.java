package com.invoicehub.ingest;

import com.invoicehub.ledger.Verdict;

/** How one attempt ended (CONTRACT §5). */
public enum Outcome {
    APPLIED, DUPLICATE, CONFLICT, REJECTED, ERROR;

    /** The outcome the ledger's verdict is. */
    public static Outcome of(Verdict verdict) {
        return switch (verdict.kind()) {
            case APPLIED -> APPLIED;
            case DUPLICATE -> DUPLICATE;
            case CONFLICT -> CONFLICT;
        };
    }
}
