package com.invoicehub.explain;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.lookup.LineItemOrigins;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.shared.DecimalAmount;
import com.invoicehub.shared.Money;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One invoice line explained: the line as the invoice shows it ({@code n} is its 1-based place in the invoice's
 * {@code lines}), and every item behind it, each with the chain from the partner's bytes to what the invoice bills
 * for it. {@code itemsTotal} is Σ of the items' {@code invoicedAmount}, which is the line's total once the invoice is
 * issued (a denied invoice under correction shows the corrections before its re-issue recounts the line).
 * Amounts are decimal strings in {@code currency}, as in the invoice.
 */
public record LineExplanation(long invoiceId, String customerId, int revision, InvoiceStatus invoiceStatus,
                              String currency, int n, Line line,
                              @JsonSerialize(using = DecimalAmount.class) Money itemsTotal, List<Item> items,
                              List<Flag> flags) {

    /** The line as on the invoice. */
    public record Line(String customerUserId, String userName, String expenseType, boolean priorPeriod,
                       @JsonSerialize(using = DecimalAmount.class) Money total, int itemCount) {
    }

    /**
     * One item behind the line. {@code appliedAmount} is the amount the ledger applied from the partner's row;
     * {@code invoicedAmount} what the invoice counts for it (zero when a correction excluded it, the new amount when
     * one adjusted it). {@code source} is null only for an item whose record the hub no longer finds.
     */
    public record Item(long lineItemId, Partner partner, String externalId, String description,
                       LocalDate serviceDate, @JsonSerialize(using = DecimalAmount.class) Money appliedAmount,
                       @JsonSerialize(using = DecimalAmount.class) Money invoicedAmount, Correction correction,
                       Source source, List<LineItemOrigins.Attempt> attempts,
                       List<LineItemOrigins.OtherReceipt> otherReceipts, List<Flag> flags) {

        /** True when a replay (not the receipt's own reading) applied the item. */
        public boolean appliedByReplay() {
            return attempts.stream().filter(attempt -> attempt.outcome() == com.invoicehub.ingest.Outcome.APPLIED)
                    .anyMatch(attempt -> attempt.run() != LineItemOrigins.AttemptRun.RECEIPT);
        }
    }

    /** {@code name} is null for a partner no longer known. */
    public record Partner(String id, String name) {
    }

    /** What a correction of a denied invoice did to the item, and why. */
    public enum CorrectionKind { EXCLUDED, ADJUSTED }

    public record Correction(CorrectionKind kind, String reason) {
    }

    /**
     * Where the item's record came from: the receipt ({@code fileId}, its channel, name, mapping, SHA-256 and when it
     * was received) and the record's {@code row} in it; for a webhook call or an SQS message also its
     * {@code messageId} (the {@code webhook-id}) and {@code rowInMessage} (the item's place among the message's
     * items, 1-based). {@code raw} is the row or item exactly as the partner sent it.
     */
    public record Source(long recordId, Channel channel, long fileId, String fileName, String mapping, String sha256,
                         OffsetDateTime receivedAt, int row, String messageId, Integer rowInMessage, String raw) {
    }

    /**
     * A policy or review flag on the line or an item: {@code code} a stable name of the rule, {@code message} for a
     * person. An item's near-duplicate review is {@code NEAR_DUPLICATE_<state>} (docs/near-duplicates.md); a line's
     * employer-policy flags join them with the policy checks.
     */
    public record Flag(String code, String message) {
    }
}
