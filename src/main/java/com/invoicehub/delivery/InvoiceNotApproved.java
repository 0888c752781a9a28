package com.invoicehub.delivery;

import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.platform.Conflict;

/** An X12 810 is issued only for an approved (or delivered) invoice (409 {@code not_approved}). */
public class InvoiceNotApproved extends Conflict {

    public InvoiceNotApproved(long invoiceId, InvoiceStatus status) {
        super("not_approved", null,
                "invoice " + invoiceId + " is " + status + "; an X12 810 is issued for an approved invoice only");
    }
}
