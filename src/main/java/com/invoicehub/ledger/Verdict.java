package com.invoicehub.ledger;

/**
 * The ledger's verdict on an item sent under a source key, with the message a person reads: the one place this is
 * decided, for a receipt's rows, a batch that lost a race, a replay and a dry run alike.
 */
public record Verdict(Kind kind, String message) {

    public enum Kind {
        /** The key was free: the item is now the ledger's. */
        APPLIED,
        /** The key holds the same content: nothing to do. */
        DUPLICATE,
        /** The key holds other content: nothing changed; a person decides. */
        CONFLICT
    }

    /** The verdict on content hashed {@code contentHash} under a key that holds {@code held} (null: nothing). */
    public static Verdict of(String contentHash, LedgerEntry held) {
        if (held == null) {
            return new Verdict(Kind.APPLIED, null);
        }
        String from = held.sourceRecordId() == null ? "an earlier row of this run"
                : "record " + held.sourceRecordId();
        if (held.contentHash().equals(contentHash)) {
            return new Verdict(Kind.DUPLICATE, "already applied from " + from);
        }
        return new Verdict(Kind.CONFLICT, "applied before from " + from + " with different content; nothing changed");
    }
}
