package com.invoicehub.invoicing;

import com.invoicehub.platform.NotFound;

/** No such invoice, or not the asking customer's (404 {@code not_found}). */
public class InvoiceNotFound extends NotFound {

    public InvoiceNotFound(long invoiceId) {
        super("invoice", Long.toString(invoiceId));
    }
}
