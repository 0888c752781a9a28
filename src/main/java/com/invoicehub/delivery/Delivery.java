package com.invoicehub.delivery;

import java.time.OffsetDateTime;
import java.util.List;

/** CONTRACT §10: a delivery with its tries; {@code messageId} is what the receiver dedups by. */
public record Delivery(long id, long invoiceId, String channel, DeliveryStatus status, String messageId, String recipient,
                       int attemptCount, OffsetDateTime nextAttemptAt, String lastError, List<Attempt> attempts,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public record Attempt(OffsetDateTime at, Result result, Integer httpStatus, String error) {

        /** How one try ended: sent, or failed (the delivery stays PENDING while tries are left). */
        public enum Result { SENT, FAILED }
    }
}
