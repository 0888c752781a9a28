package com.invoicehub.delivery;

import java.time.Duration;

/** What one try of a delivery came to. */
public sealed interface SendResult {

    String detail();

    Integer httpStatus();

    /** Delivered: the receiver has it. */
    record Sent(String detail, Integer httpStatus) implements SendResult {
    }

    /** Not delivered, worth trying again (network error, 5xx, 429); {@code notBefore}: the receiver's Retry-After. */
    record Retry(String detail, Integer httpStatus, Duration notBefore) implements SendResult {
    }

    /** Not delivered, and trying again will not help without a change (refused address, 4xx, 410 Gone). */
    record Failed(String detail, Integer httpStatus) implements SendResult {
    }
}
