package com.invoicehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The delivery retry schedule, Spring-free. */
class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)), 0.2);

    @Test
    void eachTryWaitsItsOwnDelaySpreadByTheJitterAndTheLastTryGivesUp() {
        assertThat(schedule.afterTry(1, null, () -> 0.5)).contains(Duration.ofMinutes(1));
        assertThat(schedule.afterTry(2, null, () -> 0.0)).contains(Duration.ofMinutes(4)); // 5 min - 20 %
        assertThat(schedule.afterTry(3, null, () -> 0.999_999).orElseThrow())
                .isBetween(Duration.ofMinutes(35).minusSeconds(1), Duration.ofMinutes(36)); // 30 min + 20 %
        assertThat(schedule.afterTry(4, null, () -> 0.5)).isEmpty();
        assertThat(schedule.afterTry(0, null, () -> 0.5)).isEmpty();
    }

    @Test
    void aReceiversRetryAfterWinsWhenItIsLater() {
        assertThat(schedule.afterTry(1, Duration.ofMinutes(10), () -> 0.5)).contains(Duration.ofMinutes(10));
        assertThat(schedule.afterTry(2, Duration.ofSeconds(10), () -> 0.5)).contains(Duration.ofMinutes(5));
        assertThat(schedule.afterTry(4, Duration.ofMinutes(10), () -> 0.5)).isEmpty();
    }

    @Test
    void noJitterMeansTheDelayExactly() {
        RetrySchedule exact = new RetrySchedule(List.of(Duration.ofSeconds(3)), 0);
        assertThat(exact.afterTry(1, null, () -> 0.9)).contains(Duration.ofSeconds(3));
    }
}
