package com.invoicehub.invoicing;

import com.invoicehub.platform.DomainRefusal;

/** The invoice was approved or denied already; it is decided once, while AWAITING_APPROVAL (409 {@code already_decided}). */
public class InvoiceAlreadyDecided extends DomainRefusal {

    public InvoiceAlreadyDecided(long invoiceId, InvoiceStatus status) {
        super("invoice " + invoiceId + " is " + status + "; it can be decided only while AWAITING_APPROVAL");
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
