package com.invoicehub.ingest.channels;

import java.time.Duration;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The SQS consumer's back-off while the hub's own infrastructure (the database, the archive) is unreachable: the
 * consumer's poll strategy ({@code pollStrategy=#sqsBackoff}), so no message is received, and none has its receive
 * count raised, until the pause is over. Each failure doubles the pause up to {@code hub.sqs.backoff-max}; a message
 * the hub could work on again resets it. Timed on the monotonic clock: a pause is a duration, and a test moving the
 * hub's wall clock must not stop the consumer.
 */
@Component("sqsBackoff")
class SqsBackoff implements PollingConsumerPollStrategy {

    private final Duration initial;
    private final Duration max;
    private Duration next;
    private long pausedUntilNanos = System.nanoTime();

    SqsBackoff(@Value("${hub.sqs.backoff-initial:PT5S}") Duration initial,
               @Value("${hub.sqs.backoff-max:PT2M}") Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** Starts (or lengthens) a pause and answers its length. */
    synchronized Duration failed() {
        Duration pause = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        pausedUntilNanos = System.nanoTime() + pause.toNanos();
        return pause;
    }

    synchronized void succeeded() {
        next = initial;
    }

    synchronized boolean paused() {
        return System.nanoTime() - pausedUntilNanos < 0;
    }

    /** What is left of the current pause (zero when none). */
    synchronized Duration remaining() {
        long left = pausedUntilNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return !paused();
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        return false; // as Camel's default strategy: the consumer reports the failed poll and polls again later
    }
}
