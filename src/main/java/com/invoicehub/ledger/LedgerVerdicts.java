package com.invoicehub.ledger;

import java.util.HashMap;
import java.util.Map;

/**
 * Verdicts on a run of rows in order, against what the ledger held when the run began: a key the run applies is held
 * from then on, so a later row with the same key is its DUPLICATE or CONFLICT. Not thread-safe; one per batch.
 */
public final class LedgerVerdicts {

    private final Map<String, LedgerEntry> held;

    /** {@code held}: the ledger's entries for the run's keys (see {@link Ledger#entries}); copied. */
    public LedgerVerdicts(Map<String, LedgerEntry> held) {
        this.held = new HashMap<>(held);
    }

    public Verdict decide(String sourceKey, String contentHash, Long sourceRecordId) {
        Verdict verdict = Verdict.of(contentHash, held.get(sourceKey));
        if (verdict.kind() == Verdict.Kind.APPLIED) {
            held.put(sourceKey, new LedgerEntry(contentHash, sourceRecordId));
        }
        return verdict;
    }

    /** Counts a key as held (e.g. applied by the batch still being written). */
    public void hold(String sourceKey, LedgerEntry entry) {
        held.put(sourceKey, entry);
    }
}
