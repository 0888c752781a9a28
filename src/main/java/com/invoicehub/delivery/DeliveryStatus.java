package com.invoicehub.delivery;

/**
 * A delivery's state, stored and answered by its name: PENDING until it is SENT, or FAILED once its tries ran out
 * (ops may retry a FAILED one, which makes it PENDING again).
 */
public enum DeliveryStatus {
    PENDING, SENT, FAILED
}
