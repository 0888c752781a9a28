package com.invoicehub.delivery;

import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.platform.DomainRefusal;

/** An X12 810 is issued only for an approved (or delivered) invoice (409 {@code not_approved}). */
public class InvoiceNotApproved extends DomainRefusal {

    public InvoiceNotApproved(long invoiceId, InvoiceStatus status) {
        super("invoice " + invoiceId + " is " + status + "; an X12 810 is issued for an approved invoice only");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "not_approved";
    }
}
