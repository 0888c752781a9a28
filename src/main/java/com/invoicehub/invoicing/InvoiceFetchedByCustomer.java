package com.invoicehub.invoicing;

/** A customer read one of its invoices with its own API key (what completes an API delivery). */
public record InvoiceFetchedByCustomer(long invoiceId, InvoiceStatus status) {
}
