package com.invoicehub.invoicing;

import com.invoicehub.platform.DomainRefusal;

/** The denied invoice has its next revision already; corrections go to that one (409 {@code already_reissued}). */
public class InvoiceAlreadyReissued extends DomainRefusal {

    public InvoiceAlreadyReissued(long invoiceId) {
        super("invoice " + invoiceId + " was re-issued already; correct the new revision if it is denied");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "already_reissued";
    }
}
