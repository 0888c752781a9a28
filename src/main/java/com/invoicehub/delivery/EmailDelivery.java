package com.invoicehub.delivery;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import com.invoicehub.delivery.InvoiceArtifacts.Artifact;
import com.invoicehub.delivery.InvoiceArtifacts.Format;
import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.platform.mail.OutboundMail;

/**
 * The invoice by mail to the customer's billing contacts: HTML and plain text, the archived CSV and PDF attached,
 * through the hub's mail route. The Message-ID (and {@code X-Invoice-Hub-Delivery-Id}) is the delivery's message id on
 * every try, so a resend after a crash is recognisably the same mail. An SMTP failure is retried.
 */
@Component
class EmailDelivery implements DeliveryChannel {

    private final JdbcClient jdbc;
    private final InvoiceArtifacts artifacts;
    private final InvoiceDocuments documents;
    private final ITemplateEngine templates;
    private final OutboundMail mail;

    EmailDelivery(JdbcClient jdbc, InvoiceArtifacts artifacts, InvoiceDocuments documents, ITemplateEngine templates,
                  OutboundMail mail) {
        this.jdbc = jdbc;
        this.artifacts = artifacts;
        this.documents = documents;
        this.templates = templates;
        this.mail = mail;
    }

    @Override
    public Kind channel() {
        return Kind.EMAIL;
    }

    @Override
    public SendResult send(PendingDelivery delivery) {
        String billing = jdbc.sql("select array_to_string(billing_emails, ',') from customers where id = :id")
                .param("id", delivery.customerId()).query(String.class).single();
        List<String> to = Arrays.stream(billing.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (to.isEmpty()) {
            return new SendResult.Failed("customer " + delivery.customerId() + " has no billing contacts", null);
        }
        Artifact csv = artifacts.get(delivery.invoiceId(), Format.CSV);
        Artifact pdf = artifacts.get(delivery.invoiceId(), Format.PDF);
        InvoiceDocument document = documents.of(delivery.invoiceId());
        Context context = new Context();
        context.setVariable("doc", document);
        String subject = "Invoice " + document.invoice().id() + " for " + document.customerName() + ", "
                + document.invoice().periodStart() + " to " + document.invoice().periodEnd() + ": "
                + document.invoice().total().toPlainString() + " " + document.invoice().currency();
        String text = """
                Your approved %s from invoice-hub is attached as PDF and CSV (one row per line item).

                Customer: %s
                Period:   %s to %s
                Total:    %s %s
                Lines:    %d employees, %d lines
                """.formatted(document.title(), document.customerName(), document.invoice().periodStart(),
                document.invoice().periodEnd(), document.invoice().total().toPlainString(),
                document.invoice().currency(), document.employees().size(), document.invoice().lines().size());
        try {
            mail.send(new OutboundMail.Mail(to, subject, templates.process("mail/invoice-delivery", context), text,
                    List.of(new OutboundMail.Attachment(pdf.fileName(), pdf.contentType(), pdf.content()),
                            new OutboundMail.Attachment(csv.fileName(), csv.contentType(), csv.content())),
                    Map.of("X-Invoice-Hub-Delivery-Id", delivery.messageId(),
                            "X-Invoice-Hub-Invoice", Long.toString(delivery.invoiceId())),
                    delivery.messageId()));
            return new SendResult.Sent("mailed to " + String.join(", ", to), null);
        } catch (OutboundMail.MailNotSentException e) {
            return new SendResult.Retry(e.getMessage(), null, null);
        }
    }
}
