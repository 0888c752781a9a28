package com.invoicehub.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.ReadLimits;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.mappings.standardcsv.StandardCsvMapping;

/**
 * standard-csv that can be told to die at a row, once: simulates a node killed while reading a file (only in tests;
 * a test component, so every test still shares the one Spring context).
 */
@Component
public class CrashingMapping implements PartnerMapping {

    public static final String NAME = "test-crashing-csv";

    private final StandardCsvMapping standard;
    private final AtomicInteger crashAtRow = new AtomicInteger(-1);
    private final AtomicInteger pauseAtRow = new AtomicInteger(-1);
    private volatile java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(0);
    private volatile java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(0);

    CrashingMapping(StandardCsvMapping standard) {
        this.standard = standard;
    }

    public void crashOnceAtRow(int row) {
        crashAtRow.set(row);
    }

    /** The next read of {@code row} waits until the latch is counted down: a node that is slow, not dead. */
    public void pauseOnceAtRow(int row, java.util.concurrent.CountDownLatch until) {
        resume = until;
        paused = new java.util.concurrent.CountDownLatch(1);
        pauseAtRow.set(row);
    }

    /** Whether the read paused by {@link #pauseOnceAtRow} has reached its row (waiting at most {@code seconds}). */
    public boolean awaitPaused(long seconds) throws InterruptedException {
        return paused.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SourceRow reread(int rowNumber, String raw) {
        return standard.reread(rowNumber, raw);
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        RowReader rows = standard.open(file, limits);
        return new RowReader() {
            @Override
            public SourceRow next() throws IOException {
                SourceRow row = rows.next();
                if (row != null && crashAtRow.compareAndSet(row.rowNumber(), -1)) {
                    throw new IllegalStateException("simulated crash at row " + row.rowNumber());
                }
                if (row != null && pauseAtRow.compareAndSet(row.rowNumber(), -1)) {
                    paused.countDown();
                    try {
                        resume.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while paused", e);
                    }
                }
                return row;
            }

            @Override
            public void close() throws IOException {
                rows.close();
            }
        };
    }
}
