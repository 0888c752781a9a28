package com.invoicehub.fault;

import java.time.Duration;
import java.time.Instant;

/** Progress lines on stdout, each with the seconds since the suite started. */
final class SuiteLog {

    private final Instant start = Instant.now();

    synchronized void line(String text) {
        System.out.printf("[fault %5.1fs] %s%n", seconds(), text);
        System.out.flush();
    }

    double seconds() {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    Instant start() {
        return start;
    }
}
