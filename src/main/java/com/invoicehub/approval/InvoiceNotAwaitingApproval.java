package com.invoicehub.approval;

import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.platform.DomainRefusal;

/** Approval is asked for only while the invoice awaits it; this one was decided (409 {@code already_decided}). */
public class InvoiceNotAwaitingApproval extends DomainRefusal {

    public InvoiceNotAwaitingApproval(long invoiceId, InvoiceStatus status) {
        super("invoice " + invoiceId + " is " + status + "; approval is asked for only while AWAITING_APPROVAL");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "already_decided";
    }
}
