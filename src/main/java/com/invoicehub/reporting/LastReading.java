package com.invoicehub.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A figure too costly to compute per scrape, kept from its last computation: a background refresh calls
 * {@link #refresh}, gauges read it from memory. A refresh that fails keeps the last reading, so one failed query does
 * not reset an alert's {@code for}; a reading older than {@code keptFor} is reported as NaN (unknown), not as a
 * figure that may no longer be true.
 */
final class LastReading<T> {

    private static final Logger log = LoggerFactory.getLogger(LastReading.class);

    private record Reading<T>(T value, Instant at) {
    }

    private final String what;
    private final Duration keptFor;
    private final Clock clock;
    private final AtomicReference<Reading<T>> last = new AtomicReference<>();

    LastReading(String what, Duration keptFor, Clock clock) {
        this.what = what;
        this.keptFor = keptFor;
        this.clock = clock;
    }

    /** Computes the figure now; on failure logs why and keeps the last reading. */
    void refresh(Supplier<T> computation) {
        try {
            T value = computation.get();
            last.set(new Reading<>(value, clock.instant()));
        } catch (RuntimeException e) {
            log.warn("Could not compute {} for its metric (the last reading is kept until it is {} old): {}", what,
                    keptFor, e.toString());
        }
    }

    /** A figure of the last reading, or NaN when there is none yet or it is older than {@code keptFor}. */
    double gauge(ToDoubleFunction<T> figure) {
        Reading<T> reading = last.get();
        if (reading == null || reading.at().plus(keptFor).isBefore(clock.instant())) {
            return Double.NaN;
        }
        return figure.applyAsDouble(reading.value());
    }
}
