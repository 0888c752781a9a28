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

    CrashingMapping(StandardCsvMapping standard) {
        this.standard = standard;
    }

    public void crashOnceAtRow(int row) {
        crashAtRow.set(row);
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
                return row;
            }

            @Override
            public void close() throws IOException {
                rows.close();
            }
        };
    }
}
