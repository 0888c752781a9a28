package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class BillingPeriodTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void thePeriodClosesAtMidnightOfTheInvoiceDayInTheCustomersZone() {
        // 2026-11-05T04:59Z is still Nov 4 in New York: October's period is not closed yet.
        assertThat(BillingPeriod.latestClosed(5, NEW_YORK, Instant.parse("2026-11-05T04:59:00Z")))
                .isEqualTo(new BillingPeriod(LocalDate.of(2026, 9, 5), LocalDate.of(2026, 10, 5)));
        assertThat(BillingPeriod.latestClosed(5, NEW_YORK, Instant.parse("2026-11-05T05:00:00Z")))
                .isEqualTo(new BillingPeriod(LocalDate.of(2026, 10, 5), LocalDate.of(2026, 11, 5)));
    }

    @Test
    void aMissedRunIsDueOnceAndThenTheNextInvoiceDay() {
        Instant now = Instant.parse("2026-11-20T12:00:00Z");
        // Last closed October 5; the November 5 run was missed (hub down): due now, once.
        assertThat(BillingPeriod.nextRun(5, NEW_YORK, LocalDate.of(2026, 10, 5), now).toLocalDate())
                .isEqualTo(LocalDate.of(2026, 11, 5));
        assertThat(BillingPeriod.nextRun(5, NEW_YORK, LocalDate.of(2026, 11, 5), now).toLocalDate())
                .isEqualTo(LocalDate.of(2026, 12, 5));
        assertThat(BillingPeriod.nextRun(5, NEW_YORK, LocalDate.of(2026, 11, 5), now).getZone()).isEqualTo(NEW_YORK);
    }
}
