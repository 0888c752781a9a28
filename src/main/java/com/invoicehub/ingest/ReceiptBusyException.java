package com.invoicehub.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Another run holds the receipt's lease: this try stops, and the channel tries again later; {@code heldUntil}, when
 * known, is when the lease runs out unless renewed (a sender is told to come back then).
 */
public class ReceiptBusyException extends RuntimeException {

    private final transient Instant heldUntil;

    public ReceiptBusyException(long fileId) {
        this(fileId, null);
    }

    public ReceiptBusyException(long fileId, Instant heldUntil) {
        super("file " + fileId + " is being processed by another node");
        this.heldUntil = heldUntil;
    }

    /** Whole seconds until the lease runs out (at least 1), or empty when unknown. */
    public Optional<Long> secondsLeft(Instant now) {
        return Optional.ofNullable(heldUntil)
                .map(until -> Math.max(1, Duration.between(now, until).toMillis() / 1000 + 1));
    }
}
