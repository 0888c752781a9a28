package com.invoicehub.invoicing;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A customer's billing period: from one invoice day to the next, in the customer's time zone, end exclusive. A run on
 * (or after) the invoice day closes the period that ends on it.
 */
public record BillingPeriod(LocalDate start, LocalDate end) {

    /** The latest period whose end has been reached at {@code now} in the customer's zone. */
    public static BillingPeriod latestClosed(int dayOfMonth, ZoneId zone, java.time.Instant now) {
        LocalDate today = ZonedDateTime.ofInstant(now, zone).toLocalDate();
        LocalDate end = YearMonth.from(today).atDay(dayOfMonth);
        if (end.isAfter(today)) {
            end = YearMonth.from(today).minusMonths(1).atDay(dayOfMonth);
        }
        return new BillingPeriod(YearMonth.from(end).minusMonths(1).atDay(dayOfMonth), end);
    }

    /**
     * When the next run is due: the latest closed period's end if no run has closed it yet (due now, also after the
     * hub was down on the day), else the next invoice day after the last closed period.
     */
    public static ZonedDateTime nextRun(int dayOfMonth, ZoneId zone, LocalDate lastEnd, java.time.Instant now) {
        LocalDate latest = latestClosed(dayOfMonth, zone, now).end();
        LocalDate next = lastEnd == null || lastEnd.isBefore(latest) ? latest
                : YearMonth.from(lastEnd).plusMonths(1).atDay(dayOfMonth);
        return next.atStartOfDay(zone);
    }
}
