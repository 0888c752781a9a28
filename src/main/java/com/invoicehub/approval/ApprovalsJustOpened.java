package com.invoicehub.approval;

import java.time.Instant;

import com.invoicehub.platform.Conflict;

/**
 * Approval requests of the invoice were opened moments ago; opening them again now would mail every approver twice
 * (409 {@code just_opened}, saying from when they can be opened again).
 */
public class ApprovalsJustOpened extends Conflict {

    public ApprovalsJustOpened(long invoiceId, Instant openedAt, Instant openableFrom) {
        super("just_opened", null, "approval requests of invoice " + invoiceId + " were opened at " + openedAt
                + "; they can be opened again from " + openableFrom
                + " (a second click would mail every approver twice)");
    }
}
