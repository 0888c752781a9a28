package com.invoicehub.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A poor man's profiler for a benchmark: every 50 ms, the stacks of the threads doing the work, each tallied by its
 * innermost hub frame (class, method, line: which statement of a use case) and by whether it was waiting for
 * PostgreSQL's answer, running in the JVM, or waiting for a lock or a pool. Enough to say what bounds a figure
 * without an agent; a sample costs a safepoint, so the interval is kept coarse.
 */
final class StackSampler {

    private static final long INTERVAL_MS = 50;

    private final Predicate<Thread> workers;
    private final Map<String, Integer> tally = new HashMap<>();
    private volatile boolean running;
    private Thread thread;
    private int samples;

    StackSampler(Predicate<Thread> workers) {
        this.workers = workers;
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stack-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    private void sample() {
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey() == thread || !workers.test(entry.getKey())) {
                continue;
            }
            String key = classify(entry.getValue());
            if (key != null) {
                synchronized (tally) {
                    tally.merge(key, 1, Integer::sum);
                    samples++;
                }
            }
        }
    }

    /** "where | what": the innermost hub frame and what the thread was doing there; null for an idle thread. */
    private static String classify(StackTraceElement[] stack) {
        String hub = null;
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("com.invoicehub.") && !frame.getClassName().contains(".bench.")
                    && !frame.getClassName().contains("$$")) {
                hub = frame.getClassName().substring("com.invoicehub.".length()) + "." + frame.getMethodName() + ":"
                        + frame.getLineNumber();
                break;
            }
        }
        if (stack.length == 0 || hub == null && isIdle(stack[0])) {
            return null;
        }
        return (hub == null ? "(framework)" : hub) + " | " + doing(stack);
    }

    private static boolean isIdle(StackTraceElement top) {
        String m = top.getClassName() + "." + top.getMethodName();
        return m.startsWith("jdk.internal.misc.Unsafe.park") || m.startsWith("java.lang.Object.wait")
                || m.startsWith("sun.nio.ch.EPoll") || m.startsWith("sun.nio.ch.Net.accept")
                || m.startsWith("java.lang.Thread.sleep")
                // JVM housekeeping and the local stack's process pipes: runnable in the thread dump, idle in truth.
                || m.startsWith("java.lang.ref.Reference.waitForReferencePendingList")
                || m.startsWith("java.lang.ProcessImpl$ProcessPipeInputStream")
                || m.startsWith("java.lang.ProcessHandleImpl") || m.startsWith("java.io.FileInputStream.readBytes");
    }

    private static String doing(StackTraceElement[] stack) {
        boolean socket = false;
        for (int i = 0; i < Math.min(stack.length, 24); i++) {
            String c = stack[i].getClassName();
            socket |= c.startsWith("sun.nio.ch.") || c.startsWith("java.net.Socket") || c.contains("SocketInputStream");
            if (c.startsWith("org.postgresql.")) {
                return socket ? "waiting for PostgreSQL" : "JDBC driver";
            }
        }
        String top = stack[0].getClassName() + "." + stack[0].getMethodName();
        if (top.startsWith("jdk.internal.misc.Unsafe.park")) {
            return "parked (lock or pool)";
        }
        if (socket) {
            return "socket I/O";
        }
        return "running: " + stack[0].getClassName().replaceAll("^.*\\.", "") + "." + stack[0].getMethodName();
    }

    /** The most frequent entries, as lines "share% where | what". */
    List<String> top(int n) {
        synchronized (tally) {
            int total = Math.max(1, samples);
            return tally.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                    .limit(n).map(e -> String.format(Locale.ROOT, "%5.1f%%  %s", 100.0 * e.getValue() / total,
                            e.getKey())).toList();
        }
    }

    /** Share of samples waiting for PostgreSQL's answer. */
    double waitingForPostgres() {
        synchronized (tally) {
            int waiting = tally.entrySet().stream().filter(e -> e.getKey().endsWith("waiting for PostgreSQL"))
                    .mapToInt(Map.Entry::getValue).sum();
            return Math.round(1000.0 * waiting / Math.max(1, samples)) / 1000.0;
        }
    }
}
