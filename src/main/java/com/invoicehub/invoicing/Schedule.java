package com.invoicehub.invoicing;

import java.time.OffsetDateTime;

/** CONTRACT §10: a customer's billing schedule. */
public record Schedule(String customerId, int dayOfMonth, String timeZone, boolean enabled, OffsetDateTime nextRunAt,
                       OffsetDateTime lastRunAt) {
}
