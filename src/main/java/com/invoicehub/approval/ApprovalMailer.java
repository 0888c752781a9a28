package com.invoicehub.approval;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.NodeIdentity;
import com.invoicehub.platform.SendDeadline;
import com.invoicehub.platform.mail.OutboundMail;
import com.invoicehub.shared.Money;

/**
 * Sends the approval mails not sent yet (routes/approval/approval-mails.yaml calls {@link #sendDue()}), the way
 * deliveries are sent: due rows are claimed with a lease ({@code hub.approval.mail-lease}, {@code for update skip
 * locked} in one short transaction), each is re-checked and its lease renewed just before its send, sent outside any
 * transaction within the send deadline ({@code hub.delivery.send-deadline}; past it the send is abandoned and counts as
 * a failed try), and the try recorded while the claim is still this one's. Two nodes never send the same one at once;
 * a crash after sending and before recording resends the same link once the lease ran out, which is harmless. A failed send is retried with back-off (30 s doubling, at
 * most an hour apart), up to {@value #MAX_ATTEMPTS} tries; ops see unsent requests on the invoice and re-open them.
 */
@Component("approvalMailer")
public class ApprovalMailer {

    static final int MAX_ATTEMPTS = 10;
    private static final java.time.format.DateTimeFormatter EXPIRY = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);
    /**
     * A mail has no request to take a locale from and customers keep none (no locale in CONTRACT §3), so money in it
     * is shown for en-US ({@link Money#DISPLAY_FALLBACK}); a customer's locale, once kept, belongs here.
     */
    private static final Locale MAIL_LOCALE = Money.DISPLAY_FALLBACK;
    private static final Logger log = LoggerFactory.getLogger(ApprovalMailer.class);

    private final JdbcClient jdbc;
    private final ApprovalLinks links;
    private final InvoiceDocuments documents;
    private final ITemplateEngine templates;
    private final OutboundMail mail;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final SendDeadline sends;

    ApprovalMailer(JdbcClient jdbc, ApprovalLinks links, InvoiceDocuments documents, ITemplateEngine templates,
                   OutboundMail mail, Clock clock, NodeIdentity node, HubProperties hub) {
        this.jdbc = jdbc;
        this.node = node.id();
        this.lease = hub.approval().mailLease() == null ? Duration.ofMinutes(2) : hub.approval().mailLease();
        this.links = links;
        this.documents = documents;
        this.templates = templates;
        this.mail = mail;
        this.clock = clock;
        Duration deadline = hub.delivery().sendDeadline();
        if (deadline == null || lease.compareTo(deadline) <= 0) {
            throw new IllegalStateException("hub.approval.mail-lease (" + lease + ") must be longer than "
                    + "hub.delivery.send-deadline (" + deadline + ")");
        }
        // One send at a time (the timer's thread waits on it), and one more thread for a send abandoned at its
        // deadline that the SMTP timeouts have not freed yet.
        this.sends = new SendDeadline("approval-mail", deadline, Duration.ZERO, 2);
    }

    @PreDestroy
    void stop() {
        sends.shutdown();
    }

    /** Sends up to 20 due mails; returns how many went out. */
    public int sendDue() {
        String owner = node + "/" + UUID.randomUUID().toString().substring(0, 8);
        List<ApprovalRequest> claimed = claim(owner);
        int sent = 0;
        for (ApprovalRequest request : claimed) {
            try {
                sent += send(request, owner) ? 1 : 0;
            } catch (RuntimeException e) {
                // One request that cannot even be recorded (the database away) is left to its lease; the rest go on.
                log.warn("Approval mail {} for invoice {}: {}", request.id(), request.invoiceId(), e.getMessage());
            }
        }
        return sent;
    }

    /** Takes a lease on up to 20 due requests in one short transaction; nothing stays locked after it. */
    private List<ApprovalRequest> claim(String owner) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        update approval_tokens t set lease_owner = :owner, lease_until = :until
                        where t.id in (select r.id from approval_tokens r join invoices i on i.id = r.invoice_id
                                       where r.sent_at is null and r.send_attempts < :max and r.expires_at > :now
                                         and r.revoked_at is null
                                         and (r.next_attempt_at is null or r.next_attempt_at <= :now)
                                         and (r.lease_until is null or r.lease_until < :now)
                                         and i.status = 'AWAITING_APPROVAL'
                                       order by r.send_attempts, r.id limit 20
                                       for update of r skip locked)
                        returning t.*""")
                .param("owner", owner).param("until", Timestamp.from(now.plus(lease)))
                .param("max", MAX_ATTEMPTS).param("now", Timestamp.from(now))
                .query(ApprovalRequests::request).list();
    }

    /**
     * Renews the claim for one send (a full lease from now) and re-checks it is still due: still this claim's, unsent,
     * its invoice still awaiting approval and its approver still one of the customer's. Then sends outside any transaction and records the try.
     */
    private boolean send(ApprovalRequest request, String owner) {
        Instant now = clock.instant();
        int still = jdbc.sql("""
                        update approval_tokens t set lease_until = :until
                        where t.id = :id and t.lease_owner = :owner and t.sent_at is null and t.revoked_at is null
                          and exists (select 1 from invoices i join customers c on c.id = i.customer_id
                                      where i.id = t.invoice_id and i.status = 'AWAITING_APPROVAL'
                                        and lower(t.approver_email) = any (select lower(a)
                                                                           from unnest(c.approver_emails) a))""")
                .param("id", request.id()).param("owner", owner).param("until", Timestamp.from(now.plus(lease)))
                .update();
        if (still == 0) {
            return false;
        }
        String failure;
        try {
            sends.call(() -> {
                mail.send(compose(request));
                return null;
            });
            failure = null;
        } catch (SendDeadline.NoAnswerException | RuntimeException e) {
            failure = String.valueOf(e.getMessage());
        }
        if (failure != null) {
            log.warn("Approval mail {} for invoice {} not sent: {}", request.id(), request.invoiceId(), failure);
            // 30 s, 1 min, 2 min, ... at most an hour apart: ten tries outlast a morning's outage.
            long waitSeconds = Math.min(3600, 30L << Math.min(request.sendAttempts(), 7));
            jdbc.sql("""
                            update approval_tokens set send_attempts = send_attempts + 1, last_error = :error,
                                   next_attempt_at = :next, lease_owner = null, lease_until = null
                            where id = :id and lease_owner = :owner""")
                    .param("id", request.id()).param("owner", owner).param("error", failure)
                    .param("next", Timestamp.from(clock.instant().plusSeconds(waitSeconds))).update();
            return false;
        }
        int recorded = jdbc.sql("""
                        update approval_tokens set sent_at = :now, send_attempts = send_attempts + 1, last_error = null,
                               lease_owner = null, lease_until = null
                        where id = :id and lease_owner = :owner""")
                .param("id", request.id()).param("owner", owner).param("now", Timestamp.from(clock.instant()))
                .update();
        if (recorded == 0) {
            log.warn("Approval mail {} for invoice {} sent, but its claim had passed to another node",
                    request.id(), request.invoiceId());
        }
        return true;
    }

    private OutboundMail.Mail compose(ApprovalRequest request) {
        InvoiceDocument document = documents.of(request.invoiceId());
        String total = document.invoice().total().display(MAIL_LOCALE) + " " + document.invoice().currency();
        Context context = new Context(MAIL_LOCALE);
        context.setVariable("doc", document);
        context.setVariable("moneyLocale", MAIL_LOCALE);
        context.setVariable("link", links.url(request));
        context.setVariable("expiresAt", EXPIRY.format(request.expiresAt()));
        String subject = "Please approve " + document.title() + " for " + document.customerName() + ", " + total;
        String text = """
                %s awaits your approval.

                Customer: %s
                Period:   %s to %s
                Total:    %s

                Review the invoice and approve or deny it here (the link works once and expires %s):
                %s
                """.formatted(capitalized(document.title()), document.customerName(),
                document.invoice().periodStart(), document.invoice().periodEnd(),
                total, EXPIRY.format(request.expiresAt()), links.url(request));
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
