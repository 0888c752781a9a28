package com.invoicehub.customers;

/** Published in the registering transaction: other modules set up what a customer needs (its schedule). */
public record CustomerRegistered(String customerId, int invoiceDay, String timeZone) {
}
