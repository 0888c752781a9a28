package com.invoicehub.invoicing;

import com.invoicehub.platform.NotFound;

/** A correction names a line item the invoice does not hold (404 {@code not_found}). */
public class LineItemNotOnInvoice extends NotFound {

    public LineItemNotOnInvoice(long invoiceId, long lineItemId) {
        super("line item on invoice " + invoiceId, Long.toString(lineItemId));
    }
}
