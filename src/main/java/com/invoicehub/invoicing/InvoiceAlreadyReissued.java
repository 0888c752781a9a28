package com.invoicehub.invoicing;

import com.invoicehub.platform.Conflict;

/** The denied invoice has its next revision already; corrections go to that one (409 {@code already_reissued}). */
public class InvoiceAlreadyReissued extends Conflict {

    public InvoiceAlreadyReissued(long invoiceId) {
        super("already_reissued", null,
                "invoice " + invoiceId + " was re-issued already; correct the new revision if it is denied");
    }
}
