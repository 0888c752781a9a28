package com.invoicehub.platform;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The hard overall deadline of an outbound send (a mail, an SFTP upload, a webhook POST), in one place for every
 * channel. The send runs on one of this object's threads while the caller waits at most the deadline; then the send
 * is cancelled (its thread interrupted) and the caller gets {@link NoAnswerException}, whatever the receiver does.
 * <p>
 * A library blocked in a socket read does not notice an interrupt: its own timeouts (set from the same deadline) free
 * the thread later. Until then that thread still counts against {@code maxThreads}, so sends stuck past their deadline
 * can never pile up threads without bound; when all are taken a send is refused at once, as a retryable failure.
 */
public final class SendDeadline {

    private final Duration deadline;
    private final Duration wait;
    private final ThreadPoolExecutor threads;

    /**
     * {@code slack}: how much longer than the deadline the caller waits, for a channel that enforces the same deadline
     * itself (and reports a better reason, such as the HTTP status it had) to have the last word.
     */
    public SendDeadline(String name, Duration deadline, Duration slack, int maxThreads) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalStateException(name + ": the send deadline must be positive, not " + deadline);
        }
        this.deadline = deadline;
        this.wait = deadline.plus(slack);
        AtomicInteger count = new AtomicInteger();
        // No queue: a send starts now on a free thread or is refused; it never waits out its deadline in a queue.
        this.threads = new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public Duration deadline() {
        return deadline;
    }

    /** How long {@link #call} waits at most: the deadline and the slack. */
    public Duration hardLimit() {
        return wait;
    }

    /** Runs {@code send} and answers its result, or throws {@link NoAnswerException}; the send's own exceptions pass. */
    public <T> T call(Supplier<T> send) throws NoAnswerException {
        Future<T> future;
        try {
            future = threads.submit(send::get);
        } catch (RejectedExecutionException busy) {
            throw new NoAnswerException("not tried: all " + threads.getMaximumPoolSize()
                    + " sender threads are still held by sends past their deadline");
        }
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new NoAnswerException("no answer within " + deadline);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new NoAnswerException("abandoned: the node is stopping");
        } catch (CancellationException e) {
            throw new NoAnswerException("cancelled");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Interrupts the sends still running (their callers have given up on them or are stopping). */
    public void shutdown() {
        threads.shutdownNow();
    }

    /** The send did not finish in time (or could not start): retryable; whether the receiver got it is unknown. */
    public static final class NoAnswerException extends Exception {
        NoAnswerException(String message) {
            super(message);
        }
    }
}
