package com.invoicehub.ledger;

/**
 * What the ledger holds for a source key: the hash of the applied content and the record it was applied from (null
 * for an earlier row of a dry run, which has no record).
 */
public record LedgerEntry(String contentHash, Long sourceRecordId) {
}
