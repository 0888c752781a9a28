package com.invoicehub.invoicing;

/**
 * An invoice about to be committed whose total, lines and line items disagree. The run or re-issue that made it is
 * rolled back whole: nothing of it is committed, and its items stay where they were.
 */
public class InvoiceDoesNotAddUp extends IllegalStateException {

    private final long invoiceId;

    InvoiceDoesNotAddUp(long invoiceId, String message) {
        super("invoice " + invoiceId + " does not add up: " + message);
        this.invoiceId = invoiceId;
    }

    public long invoiceId() {
        return invoiceId;
    }
}
