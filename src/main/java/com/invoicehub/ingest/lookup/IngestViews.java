package com.invoicehub.ingest.lookup;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.Outcome;

/** The JSON shapes of CONTRACT §10 for the ingest look-ups. */
public final class IngestViews {

    private IngestViews() {
    }

    /** A receipt; running while RECEIVED or PROCESSING. */
    public record FileView(long id, String partnerId, Channel channel, String name, String mapping, long sizeBytes,
                           String sha256, OffsetDateTime receivedAt, FileStatus status, String failureReason,
                           Integer rows, int rowsDone, Long resendOf, String archiveKey,
                           int failedTries, String lastError, Map<Outcome, Integer> counts) {

        public boolean running() {
            return status == FileStatus.RECEIVED || status == FileStatus.PROCESSING;
        }
    }

    public record AttemptView(long id, long recordId, long fileId, String partnerId, String externalId,
                              Channel channel, Outcome outcome, String reason, String message, OffsetDateTime at) {
    }

    public record LineItemView(long id, String externalId, String customerId, String customerUserId,
                               String userName, String expenseType, String amount, String currency,
                               LocalDate serviceDate, String description, OffsetDateTime appliedAt, Long invoiceId) {
    }

    public record RecordView(long id, String partnerId, String externalId, String raw, int rowNumber, long fileId,
                             List<AttemptView> attempts, Long lineItemId, Long invoiceId, LineItemView lineItem) {
    }
}
