package com.invoicehub.ingest;

import java.time.Instant;
import java.util.List;

/** Receipts nobody is finishing (the reconciliation's receipts account names them). */
public interface UnfinishedReceipts {

    /**
     * Receipts received in [from, to) that are unfinished with nobody finishing them: abandoned, hung, or given up
     * after their failed tries.
     */
    List<Long> unaccounted(Instant from, Instant to);
}
