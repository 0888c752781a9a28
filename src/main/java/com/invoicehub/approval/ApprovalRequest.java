package com.invoicehub.approval;

import java.time.Instant;

import com.invoicehub.invoicing.InvoiceStatus;

/** One approver's request to decide one invoice; its link is single use and expires. */
public record ApprovalRequest(long id, long invoiceId, String approverEmail, Instant expiresAt, Instant usedAt,
                       InvoiceStatus decision, Instant sentAt, int sendAttempts, String lastError, Instant revokedAt) {
}
