package com.invoicehub.invoicing;

import com.invoicehub.platform.Conflict;

/** Only a denied invoice is corrected and re-issued (409 {@code not_denied}). */
public class InvoiceNotDenied extends Conflict {

    public InvoiceNotDenied(long invoiceId, InvoiceStatus status) {
        super("not_denied", null,
                "invoice " + invoiceId + " is " + status + "; only a denied invoice is corrected and re-issued");
    }
}
