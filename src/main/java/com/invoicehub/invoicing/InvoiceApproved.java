package com.invoicehub.invoicing;

/**
 * An invoice was approved. Published inside the approving transaction, so the deliveries written on it (the outbox)
 * commit with the approval or not at all.
 */
public record InvoiceApproved(long invoiceId, String customerId) {
}
