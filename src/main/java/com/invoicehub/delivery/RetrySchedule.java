package com.invoicehub.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a delivery whose try failed for a reason worth retrying is tried again: after the try numbered {@code n}, the
 * {@code n}-th delay, spread by ± {@code jitter} (so deliveries failing together do not come back together), or
 * later if the receiver asked for later (Retry-After); after the last delay's try, never: the delivery is FAILED.
 */
record RetrySchedule(List<Duration> delays, double jitter) {

    RetrySchedule {
        delays = List.copyOf(delays);
    }

    /**
     * The wait after {@code tries} tries (1 after the first), or empty when they are used up. {@code random} gives
     * a number in [0, 1); {@code notBefore} (may be null) is the receiver's own wish.
     */
    Optional<Duration> afterTry(int tries, Duration notBefore, DoubleSupplier random) {
        if (tries < 1 || tries > delays.size()) {
            return Optional.empty();
        }
        double factor = 1 + (random.getAsDouble() * 2 - 1) * jitter;
        Duration wait = Duration.ofMillis(Math.max(1, Math.round(delays.get(tries - 1).toMillis() * factor)));
        return Optional.of(notBefore != null && notBefore.compareTo(wait) > 0 ? notBefore : wait);
    }
}
