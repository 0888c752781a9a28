package com.invoicehub.ingest.lookup;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.invoicehub.ingest.Outcome;

/** The JSON shapes of CONTRACT §10 for the ingest look-ups. */
public final class IngestViews {

    private IngestViews() {
    }

    public record FileView(long id, String partnerId, String channel, String name, String mapping, long sizeBytes,
                           String sha256, OffsetDateTime receivedAt, String status, String failureReason,
                           Integer rows, int rowsDone, Long resendOf, String archiveKey,
                           int failedTries, String lastError, Map<Outcome, Integer> counts) {
    }

    public record AttemptView(long id, long recordId, long fileId, String partnerId, String externalId,
                              String channel, String outcome, String reason, String message, OffsetDateTime at) {
    }

    public record LineItemView(long id, String externalId, String customerId, String customerUserId,
                               String userName, String expenseType, String amount, String currency,
                               LocalDate serviceDate, String description, OffsetDateTime appliedAt, Long invoiceId) {
    }

    public record RecordView(long id, String partnerId, String externalId, String raw, int rowNumber, long fileId,
                             List<AttemptView> attempts, Long lineItemId, Long invoiceId, LineItemView lineItem) {
    }
}
