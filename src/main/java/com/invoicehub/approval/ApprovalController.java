package com.invoicehub.approval;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.Page;
import com.invoicehub.security.ApiPrincipal;

/**
 * An invoice's approval requests: who was asked, whether the mail went out (and why not), whether the link was
 * used. Ops re-open them (new links, new mails) when a mail was lost or the links expired. Links are never shown.
 */
@RestController
class ApprovalController {

    record RequestView(long id, String approverEmail, Instant expiresAt, Instant sentAt, int sendAttempts,
                       String lastError, Instant usedAt, InvoiceStatus decision, Instant revokedAt) {
    }

    private final Invoices invoices;
    private final ApprovalRequests requests;

    ApprovalController(Invoices invoices, ApprovalRequests requests) {
        this.invoices = invoices;
        this.requests = requests;
    }

    @GetMapping("/api/v1/invoices/{id}/approval-requests")
    Page<RequestView> list(@PathVariable long id, Authentication caller) {
        Invoice invoice = invoices.get(id, ApiPrincipal.customerIdOf(caller));
        return new Page<>(views(invoice.id()), null);
    }

    @PostMapping("/api/v1/invoices/{id}/approval-requests")
    Page<RequestView> reopen(@PathVariable long id, Authentication caller) {
        if (ApiPrincipal.customerIdOf(caller) != null) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "approval requests are re-sent by ops", null);
        }
        Invoice invoice = invoices.get(id, null);
        if (invoice.status() != InvoiceStatus.AWAITING_APPROVAL) {
            throw new InvoiceNotAwaitingApproval(id, invoice.status());
        }
        requests.reopen(invoice.id());
        return new Page<>(views(invoice.id()), null);
    }

    private List<RequestView> views(long invoiceId) {
        return requests.ofInvoice(invoiceId).stream()
                .map(r -> new RequestView(r.id(), r.approverEmail(), r.expiresAt(), r.sentAt(), r.sendAttempts(),
                        r.lastError(), r.usedAt(), r.decision(), r.revokedAt()))
                .toList();
    }
}
