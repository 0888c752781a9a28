package com.invoicehub.invoicing;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.invoicehub.shared.DecimalAmount;
import com.invoicehub.shared.Money;

/**
 * CONTRACT §10: an invoice with its lines. Amounts are {@link Money}; in JSON each is the decimal string scaled to
 * the currency ({@code "total":"1250.00"}), the currency being the invoice's own field.
 */
public record Invoice(long id, String customerId, int revision, Long previousInvoiceId, LocalDate periodStart,
                      LocalDate periodEnd, InvoiceStatus status, String currency,
                      @JsonSerialize(using = DecimalAmount.class) Money total, List<Line> lines,
                      String decidedBy, OffsetDateTime decidedAt, String reason, OffsetDateTime createdAt) {

    /** {@code flags}: the customer's policies the line breaks, as judged when the invoice was issued (issue 17). */
    public record Line(String customerUserId, String userName, String expenseType,
                       @JsonSerialize(using = DecimalAmount.class) Money total, int itemCount,
                       boolean priorPeriod, List<PolicyFlag> flags) {

        public Line {
            flags = flags == null ? List.of() : List.copyOf(flags);
        }

        /** A line that breaks no policy. */
        public Line(String customerUserId, String userName, String expenseType, Money total, int itemCount,
                    boolean priorPeriod) {
            this(customerUserId, userName, expenseType, total, itemCount, priorPeriod, List.of());
        }

        public boolean flagged() {
            return !flags.isEmpty();
        }
    }
}
