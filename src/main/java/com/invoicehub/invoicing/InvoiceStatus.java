package com.invoicehub.invoicing;

/**
 * An invoice's state, stored and answered by its name: AWAITING_APPROVAL becomes APPROVED or DENIED exactly once; an
 * APPROVED invoice becomes DELIVERED once every delivery of it is sent. A DENIED one is corrected and re-issued as
 * its next revision.
 */
public enum InvoiceStatus {
    AWAITING_APPROVAL, APPROVED, DENIED, DELIVERED
}
