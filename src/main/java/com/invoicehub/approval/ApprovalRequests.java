package com.invoicehub.approval;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.customers.CustomerApproversChanged;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.invoicing.InvoiceIssued;
import com.invoicehub.invoicing.InvoiceLineItems;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.audit.AuditLog;

/**
 * Approval by link: every invoice issued gets one request per approver of its customer (in the invoice's own
 * transaction); the mailer sends them; an approver's link shows the invoice and decides it once. A link is dead
 * once used, once it expired, once the invoice was decided by anyone, and once its approver is no longer one of the
 * customer's approvers (revoked when the customer's approvers change, and checked again at every decision).
 */
@Service
public class ApprovalRequests {

    /** What a link leads to. */
    public enum State { OPEN, USED, DECIDED, EXPIRED, REVOKED, INVALID }

    /**
     * {@code decidedNow}: this very request made the decision (not an earlier click). {@code document} and
     * {@code lineItems} (the items behind its lines) are null where the link shows nothing of the invoice.
     */
    public record View(State state, InvoiceDocument document, InvoiceLineItems lineItems, String approverEmail,
                       InvoiceStatus decision, OffsetDateTime decidedAt, boolean decidedNow) {
    }

    private final JdbcClient jdbc;
    private final ApprovalLinks links;
    private final Invoices invoices;
    private final InvoiceDocuments documents;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration linkTtl;

    ApprovalRequests(JdbcClient jdbc, ApprovalLinks links, Invoices invoices, InvoiceDocuments documents,
                     AuditLog audit, Clock clock, HubProperties hub) {
        this.jdbc = jdbc;
        this.links = links;
        this.invoices = invoices;
        this.documents = documents;
        this.audit = audit;
        this.clock = clock;
        this.linkTtl = hub.approval().linkTtl();
    }

    @EventListener
    void onIssued(InvoiceIssued issued) {
        open(issued.invoiceId());
    }

    /**
     * The customer's approvers changed (in the change's own transaction): the open requests of every approver no
     * longer listed are revoked, for good; their links answer 410 and their unsent mails are not sent.
     */
    @EventListener
    void onApproversChanged(CustomerApproversChanged changed) {
        int revoked = jdbc.sql("""
                        update approval_tokens t set revoked_at = :now
                        from invoices i
                        where i.id = t.invoice_id and i.customer_id = :customer
                          and t.used_at is null and t.revoked_at is null
                          and lower(t.approver_email) <> all (cast(:approvers as text[]))""")
                .param("now", Timestamp.from(clock.instant())).param("customer", changed.customerId())
                .param("approvers", changed.approverEmails().stream().map(e -> e.toLowerCase(java.util.Locale.ROOT))
                        .toArray(String[]::new))
                .update();
        if (revoked > 0) {
            audit.record("approval.revoked", "customer", changed.customerId(), null,
                    Map.of("requests", revoked, "approvers", changed.approverEmails()));
        }
    }

    /** How long after requests were opened a re-open is refused: a double click must not mail everyone twice. */
    static final Duration REOPEN_PAUSE = Duration.ofMinutes(1);

    /**
     * Ops' re-open: fresh requests (new links, new mails) for every approver, unless requests were opened less than
     * {@link #REOPEN_PAUSE} ago. The invoice's row lock makes two clicks on two nodes take turns.
     */
    @Transactional
    public int reopen(long invoiceId) {
        jdbc.sql("select id from invoices where id = :id for update").param("id", invoiceId).query(Long.class)
                .optional();
        Optional<Instant> last = jdbc.sql("select max(created_at) from approval_tokens where invoice_id = :id")
                .param("id", invoiceId).query(Timestamp.class).list().stream().filter(java.util.Objects::nonNull)
                .findFirst().map(Timestamp::toInstant);
        Instant now = clock.instant();
        if (last.isPresent() && last.get().isAfter(now.minus(REOPEN_PAUSE))) {
            throw new ApprovalsJustOpened(invoiceId, last.get(), last.get().plus(REOPEN_PAUSE));
        }
        return open(invoiceId);
    }

    /** One request (and so one mail) per approver of the invoice's customer; returns how many. */
    @Transactional
    public int open(long invoiceId) {
        Instant now = clock.instant();
        // Holds the customer's row until the requests commit: an approver change waits for them, and its revocation
        // then sees them; or it committed first and the next statement reads the approvers it left.
        jdbc.sql("""
                        select c.id from customers c join invoices i on i.customer_id = c.id
                        where i.id = :invoice for share of c""")
                .param("invoice", invoiceId).query(String.class).optional();
        int opened = jdbc.sql("""
                        insert into approval_tokens (invoice_id, approver_email, expires_at, created_at)
                        select i.id, approver, :expires, :now
                        from invoices i join customers c on c.id = i.customer_id,
                             unnest(c.approver_emails) approver
                        where i.id = :invoice and i.status = 'AWAITING_APPROVAL'""")
                .param("invoice", invoiceId).param("expires", Timestamp.from(now.plus(linkTtl)))
                .param("now", Timestamp.from(now)).update();
        audit.record("approval.requested", "invoice", Long.toString(invoiceId), null,
                Map.of("approvers", opened, "expiresAt", now.plus(linkTtl).toString()));
        return opened;
    }

    public View view(String token) {
        return find(token).map(request -> view(request, stateOf(request))).orElseGet(ApprovalRequests::invalid);
    }

    /**
     * Approves or denies through a link. The request row is locked, so two clicks of one link decide once; the
     * invoice's own conditional update makes any two links (or a link and the API) decide once between them.
     * Throws the invoice's 409 when someone else decided first; returns the view of the link afterwards.
     */
    @Transactional
    public View decide(String token, boolean approve, String reason) {
        Optional<ApprovalRequest> unlocked = find(token);
        if (unlocked.isEmpty()) {
            return invalid();
        }
        // The customer's row first (shared): a change of its approvers waits for this decision or this decision
        // sees the change, and locks are always taken customer, then request (no deadlock with that change).
        jdbc.sql("""
                        select c.id from customers c join invoices i on i.customer_id = c.id
                        where i.id = :invoice for share of c""")
                .param("invoice", unlocked.get().invoiceId()).query(String.class).optional();
        Optional<ApprovalRequest> found = find(token, true);
        if (found.isEmpty()) {
            return invalid();
        }
        ApprovalRequest request = found.get();
        State state = stateOf(request);
        if (state != State.OPEN) {
            return view(request, state);
        }
        Invoice invoice = invoices.get(request.invoiceId(), null);
        String approver = "approver:" + request.approverEmail();
        Invoice decided = approve
                ? invoices.approve(invoice.id(), invoice.customerId(), approver)
                : invoices.deny(invoice.id(), invoice.customerId(), approver, reason);
        jdbc.sql("update approval_tokens set used_at = :now, decision = :decision where id = :id")
                .param("id", request.id()).param("decision", decided.status().name())
                .param("now", Timestamp.from(clock.instant())).update();
        ApprovalRequest used = find(token).orElseThrow();
        InvoiceDocument document = documents.of(used.invoiceId());
        return new View(State.USED, document, invoices.lineItems(used.invoiceId()), used.approverEmail(),
                used.decision(), document.invoice().decidedAt(), true);
    }

    private State stateOf(ApprovalRequest request) {
        return stateOf(request.usedAt() != null, request.revokedAt() != null || !isCurrentApprover(request),
                () -> invoices.get(request.invoiceId(), null).status(),
                () -> ApprovalLinks.expired(request, clock.instant()));
    }

    /**
     * A link's state, in the order its facts win: used (it decided already), then revoked (the link, or its
     * approver taken off the customer), then decided (by someone else), then expired; else open. The invoice and
     * the clock are asked only when the facts before them do not decide.
     */
    static State stateOf(boolean used, boolean revoked, java.util.function.Supplier<InvoiceStatus> invoice,
                         java.util.function.BooleanSupplier expired) {
        if (used) {
            return State.USED;
        }
        if (revoked) {
            return State.REVOKED;
        }
        if (invoice.get() != InvoiceStatus.AWAITING_APPROVAL) {
            return State.DECIDED;
        }
        return expired.getAsBoolean() ? State.EXPIRED : State.OPEN;
    }

    /** Whether the request's approver is still one of its customer's approvers (addresses compared ignoring case). */
    private boolean isCurrentApprover(ApprovalRequest request) {
        return jdbc.sql("""
                        select exists (select 1 from invoices i join customers c on c.id = i.customer_id,
                                              unnest(c.approver_emails) approver
                                       where i.id = :invoice and lower(approver) = lower(:email))""")
                .param("invoice", request.invoiceId()).param("email", request.approverEmail())
                .query(Boolean.class).single();
    }

    private View view(ApprovalRequest request, State state) {
        if (state == State.REVOKED) {
            // Someone no longer asked sees nothing of the invoice.
            return new View(state, null, null, request.approverEmail(), null, null, false);
        }
        InvoiceDocument document = documents.of(request.invoiceId());
        OffsetDateTime decidedAt = document.invoice().decidedAt();
        return new View(state, document, invoices.lineItems(request.invoiceId()), request.approverEmail(),
                request.decision(), decidedAt, false);
    }

    private static View invalid() {
        return new View(State.INVALID, null, null, null, null, null, false);
    }

    private Optional<ApprovalRequest> find(String token) {
        return find(token, false);
    }

    /** The request a genuine token is for; a forged or altered token finds nothing. */
    private Optional<ApprovalRequest> find(String token, boolean lock) {
        OptionalLong id = ApprovalLinks.requestIdOf(token);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select * from approval_tokens where id = :id" + (lock ? " for update" : ""))
                .param("id", id.getAsLong()).query(ApprovalRequests::request).optional()
                .filter(request -> links.isGenuine(token, request));
    }

    /** An invoice's approval requests, oldest first. */
    public List<ApprovalRequest> ofInvoice(long invoiceId) {
        return jdbc.sql("select * from approval_tokens where invoice_id = :id order by id")
                .param("id", invoiceId).query(ApprovalRequests::request).list();
    }

    static ApprovalRequest request(ResultSet rs, int row) throws SQLException {
        Timestamp used = rs.getTimestamp("used_at");
        Timestamp sent = rs.getTimestamp("sent_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApprovalRequest(rs.getLong("id"), rs.getLong("invoice_id"), rs.getString("approver_email"),
                rs.getTimestamp("expires_at").toInstant(), used == null ? null : used.toInstant(),
                rs.getString("decision") == null ? null : InvoiceStatus.valueOf(rs.getString("decision")),
                sent == null ? null : sent.toInstant(), rs.getInt("send_attempts"),
                rs.getString("last_error"), revoked == null ? null : revoked.toInstant());
    }
}
