package com.invoicehub.approval;

import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.platform.Conflict;

/** Approval is asked for only while the invoice awaits it; this one was decided (409 {@code already_decided}). */
public class InvoiceNotAwaitingApproval extends Conflict {

    public InvoiceNotAwaitingApproval(long invoiceId, InvoiceStatus status) {
        super("already_decided", null,
                "invoice " + invoiceId + " is " + status + "; approval is asked for only while AWAITING_APPROVAL");
    }
}
