package com.invoicehub.invoicing;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Builds the people-facing layout of an invoice (see {@link InvoiceDocument}). */
@Component
public class InvoiceDocuments {

    private final Invoices invoices;
    private final JdbcClient jdbc;

    InvoiceDocuments(Invoices invoices, JdbcClient jdbc) {
        this.invoices = invoices;
        this.jdbc = jdbc;
    }

    public InvoiceDocument of(long invoiceId) {
        return of(invoices.get(invoiceId, null));
    }

    public InvoiceDocument of(Invoice invoice) {
        String customerName = jdbc.sql("select name from customers where id = :id").param("id", invoice.customerId())
                .query(String.class).single();
        return InvoiceDocument.of(invoice, customerName);
    }
}
