package com.invoicehub.invoicing;

import com.invoicehub.platform.Conflict;

/**
 * The invoice was approved or denied already; it is decided once, while AWAITING_APPROVAL (409
 * {@code already_decided}).
 */
public class InvoiceAlreadyDecided extends Conflict {

    public InvoiceAlreadyDecided(long invoiceId, InvoiceStatus status) {
        super("already_decided", null,
                "invoice " + invoiceId + " is " + status + "; it can be decided only while AWAITING_APPROVAL");
    }
}
