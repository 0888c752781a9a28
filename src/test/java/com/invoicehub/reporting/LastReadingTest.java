package com.invoicehub.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.invoicehub.support.MutableClock;

/** The background-refreshed gauges' memory: what a scrape reads between refreshes, and after failed ones. Spring-free. */
class LastReadingTest {

    private static final Instant NOON = Instant.parse("2026-05-14T12:00:00Z");

    private final MutableClock clock = new MutableClock();
    private final LastReading<Long> reading = new LastReading<>("a test figure", Duration.ofMinutes(3), clock);

    @Test
    void unknownUntilTheFirstRefresh() {
        clock.set(NOON);
        assertThat(reading.gauge(Long::doubleValue)).isNaN();

        reading.refresh(() -> 7L);

        assertThat(reading.gauge(Long::doubleValue)).isEqualTo(7.0);
    }

    @Test
    void aScrapeReadsTheReadingAndNeverComputes() {
        clock.set(NOON);
        AtomicInteger computed = new AtomicInteger();
        reading.refresh(() -> (long) computed.incrementAndGet());

        for (int scrape = 0; scrape < 5; scrape++) {
            assertThat(reading.gauge(Long::doubleValue)).isEqualTo(1.0);
        }
        assertThat(computed).hasValue(1);
    }

    @Test
    void aFailedRefreshKeepsTheLastReadingUntilItIsTooOld() {
        clock.set(NOON);
        reading.refresh(() -> 2L);

        clock.set(NOON.plus(Duration.ofMinutes(2)));
        reading.refresh(() -> {
            throw new IllegalStateException("connection refused");
        });
        assertThat(reading.gauge(Long::doubleValue)).isEqualTo(2.0);

        clock.set(NOON.plus(Duration.ofMinutes(3)));
        assertThat(reading.gauge(Long::doubleValue)).as("exactly as old as kept").isEqualTo(2.0);
        clock.set(NOON.plus(Duration.ofMinutes(3)).plusSeconds(1));
        assertThat(reading.gauge(Long::doubleValue)).isNaN();

        reading.refresh(() -> 0L);
        assertThat(reading.gauge(Long::doubleValue)).isZero();
    }

    @Test
    void theCurrentMonthIsTheCalendarMonthInUtc() {
        ReconciliationMetrics.Month month = ReconciliationMetrics.Month.of(Instant.parse("2026-12-31T23:59:59Z"));
        assertThat(month.from()).hasToString("2026-12-01T00:00Z");
        assertThat(month.to()).hasToString("2027-01-01T00:00Z");
    }
}
