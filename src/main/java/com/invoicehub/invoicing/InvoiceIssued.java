package com.invoicehub.invoicing;

/**
 * An invoice (a first issue or a re-issued revision) now awaits approval. Published inside the transaction that made
 * it, so whatever listens (approval requests) commits or rolls back with the invoice.
 */
public record InvoiceIssued(long invoiceId, String customerId) {
}
