package com.invoicehub.invoicing;

import com.invoicehub.platform.NotFound;

/** The customer has no billing schedule (404 {@code not_found}). */
public class ScheduleNotFound extends NotFound {

    public ScheduleNotFound(String customerId) {
        super("schedule", customerId);
    }
}
