package com.invoicehub.reporting;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.platform.DatabaseAvailability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What ops watch of the invoice cycle in Prometheus and Hawtio: invoices per state (hub_invoices{status}), and
 * approval mails not sent yet (hub_approval_mails_unsent: a growing number means mail is failing). Read from the
 * database at scrape time, so every node reports the same truth; NaN at once while the database does not answer.
 */
@Component
class InvoiceMetrics {

    InvoiceMetrics(JdbcClient jdbc, DatabaseAvailability database, MeterRegistry meters) {
        for (InvoiceStatus status : InvoiceStatus.values()) {
            Gauge.builder("hub.invoices", () -> database.readingOrNaN(() -> jdbc.sql(
                                    "select count(*) from invoices where status = :status")
                            .param("status", status.name()).query(Long.class).single()))
                    .tag("status", status.name()).description("Invoices in each lifecycle state").register(meters);
        }
        Gauge.builder("hub.approval.mails.unsent", () -> database.readingOrNaN(() -> jdbc.sql("""
                        select count(*) from approval_tokens r join invoices i on i.id = r.invoice_id
                        where r.sent_at is null and i.status = 'AWAITING_APPROVAL'""")
                        .query(Long.class).single()))
                .description("Approval mails of undecided invoices not sent yet").register(meters);
    }
}
