package com.invoicehub.invoicing;

import com.invoicehub.platform.DomainRefusal;

/** Only a denied invoice is corrected and re-issued (409 {@code not_denied}). */
public class InvoiceNotDenied extends DomainRefusal {

    public InvoiceNotDenied(long invoiceId, InvoiceStatus status) {
        super("invoice " + invoiceId + " is " + status + "; only a denied invoice is corrected and re-issued");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "not_denied";
    }
}
