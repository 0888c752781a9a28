package com.invoicehub.ingest.mapping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a text file line by line as sent: UTF-8, a byte-order mark dropped, LF or CRLF. With {@code quote} set, a
 * record whose quoted field holds a line break spans lines until its quotes balance (RFC 4180), so each record's
 * exact text is kept for the source record.
 */
public final class LogicalLines implements java.io.Closeable {

    private final BufferedReader reader;
    private final char quote;
    private int physicalLine;
    private int recordStartLine;

    public LogicalLines(InputStream in, char quote) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.quote = quote;
    }

    /** The next record's text without its line ending, or null at the end. */
    public String next() throws IOException {
        String line = reader.readLine();
        if (line == null) {
            return null;
        }
        physicalLine++;
        recordStartLine = physicalLine;
        if (physicalLine == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        if (quote == 0 || balanced(line)) {
            return line;
        }
        StringBuilder record = new StringBuilder(line);
        while (!balanced(record)) {
            String more = reader.readLine();
            if (more == null) {
                break;
            }
            physicalLine++;
            record.append('\n').append(more);
        }
        return record.toString();
    }

    /** The line number (1-based) where the last record returned started. */
    public int lineNumber() {
        return recordStartLine;
    }

    private boolean balanced(CharSequence text) {
        int quotes = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == quote) {
                quotes++;
            }
        }
        return quotes % 2 == 0;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
