package com.invoicehub.explain;

import com.invoicehub.platform.NotFound;

/** The invoice has no line {@code n} (lines are numbered 1 … as the invoice lists them): 404 {@code not_found}. */
public class InvoiceLineNotFound extends NotFound {

    public InvoiceLineNotFound(long invoiceId, int n, int lines) {
        super("line", n + " of invoice " + invoiceId + " (it has " + lines + (lines == 1 ? " line" : " lines")
                + ", numbered from 1)");
    }

    @Override
    public String field() {
        return "n";
    }
}
