package com.invoicehub.approval;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.platform.mail.OutboundMail;

/**
 * Sends the approval mails not sent yet (routes/approval/approval-mails.yaml calls {@link #sendDue()}). Rows are
 * claimed with {@code for update skip locked}, so two nodes never send the same one; a crash after sending and
 * before marking resends the same link, which is harmless. A failed send is retried with back-off (30 s doubling, at
 * most an hour apart), up to {@value #MAX_ATTEMPTS} tries; ops see unsent requests on the invoice and re-open them.
 */
@Component("approvalMailer")
public class ApprovalMailer {

    static final int MAX_ATTEMPTS = 10;
    private static final java.time.format.DateTimeFormatter EXPIRY = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);
    private static final Logger log = LoggerFactory.getLogger(ApprovalMailer.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ApprovalLinks links;
    private final InvoiceDocuments documents;
    private final ITemplateEngine templates;
    private final OutboundMail mail;
    private final Clock clock;

    ApprovalMailer(JdbcClient jdbc, TransactionTemplate transaction, ApprovalLinks links, InvoiceDocuments documents,
                   ITemplateEngine templates, OutboundMail mail, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.links = links;
        this.documents = documents;
        this.templates = templates;
        this.mail = mail;
        this.clock = clock;
    }

    /** Sends up to 20 due mails; returns how many went out. */
    public int sendDue() {
        Integer sent = transaction.execute(status -> {
            List<ApprovalRequest> due = jdbc.sql("""
                            select r.* from approval_tokens r join invoices i on i.id = r.invoice_id
                            where r.sent_at is null and r.send_attempts < :max and r.expires_at > :now
                              and r.revoked_at is null
                              and (r.next_attempt_at is null or r.next_attempt_at <= :now)
                              and i.status = 'AWAITING_APPROVAL'
                            order by r.send_attempts, r.id limit 20
                            for update of r skip locked""")
                    .param("max", MAX_ATTEMPTS).param("now", Timestamp.from(clock.instant()))
                    .query(ApprovalRequests::request).list();
            int count = 0;
            for (ApprovalRequest request : due) {
                count += send(request) ? 1 : 0;
            }
            return count;
        });
        return sent == null ? 0 : sent;
    }

    private boolean send(ApprovalRequest request) {
        try {
            mail.send(compose(request));
            jdbc.sql("update approval_tokens set sent_at = :now, send_attempts = send_attempts + 1, last_error = null "
                            + "where id = :id")
                    .param("id", request.id()).param("now", Timestamp.from(clock.instant())).update();
            return true;
        } catch (RuntimeException e) {
            log.warn("Approval mail {} for invoice {} not sent: {}", request.id(), request.invoiceId(),
                    e.getMessage());
            // 30 s, 1 min, 2 min, ... at most an hour apart: ten tries outlast a morning's outage.
            long waitSeconds = Math.min(3600, 30L << Math.min(request.sendAttempts(), 7));
            jdbc.sql("update approval_tokens set send_attempts = send_attempts + 1, last_error = :error, "
                            + "next_attempt_at = :next where id = :id")
                    .param("id", request.id()).param("error", String.valueOf(e.getMessage()))
                    .param("next", Timestamp.from(clock.instant().plusSeconds(waitSeconds))).update();
            return false;
        }
    }

    private OutboundMail.Mail compose(ApprovalRequest request) {
        InvoiceDocument document = documents.of(request.invoiceId());
        Context context = new Context();
        context.setVariable("doc", document);
        context.setVariable("link", links.url(request));
        context.setVariable("expiresAt", EXPIRY.format(request.expiresAt()));
        String subject = "Please approve " + document.title() + " for " + document.customerName() + ", "
                + document.invoice().total() + " " + document.invoice().currency();
        String text = """
                %s awaits your approval.

                Customer: %s
                Period:   %s to %s
                Total:    %s %s

                Review the invoice and approve or deny it here (the link works once and expires %s):
                %s
                """.formatted(capitalized(document.title()), document.customerName(),
                document.invoice().periodStart(), document.invoice().periodEnd(), document.invoice().total(),
                document.invoice().currency(), EXPIRY.format(request.expiresAt()), links.url(request));
        return new OutboundMail.Mail(List.of(request.approverEmail()), subject,
                templates.process("mail/approval-request", context), text, List.of(),
                Map.of("X-Invoice-Hub-Invoice", Long.toString(request.invoiceId()),
                        "X-Invoice-Hub-Approval-Request", Long.toString(request.id())),
                "approval-request-" + request.id());
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
