package com.invoicehub.invoicing;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** CONTRACT §10: an invoice with its lines; amounts are decimal strings scaled to the currency. */
public record Invoice(long id, String customerId, int revision, Long previousInvoiceId, LocalDate periodStart,
                      LocalDate periodEnd, InvoiceStatus status, String currency, String total, List<Line> lines,
                      String decidedBy, OffsetDateTime decidedAt, String reason, OffsetDateTime createdAt) {

    public record Line(String customerUserId, String userName, String expenseType, String total, int itemCount,
                       boolean priorPeriod) {
    }
}
