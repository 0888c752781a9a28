package com.invoicehub.approval;

import java.time.Instant;

/** One approver's request to decide one invoice; its link is single use and expires. */
record ApprovalRequest(long id, long invoiceId, String approverEmail, Instant expiresAt, Instant usedAt,
                       String decision, Instant sentAt, int sendAttempts, String lastError, Instant revokedAt) {
}
