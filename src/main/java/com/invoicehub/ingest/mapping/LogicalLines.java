package com.invoicehub.ingest.mapping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads a text file line by line as sent: UTF-8, a byte-order mark dropped, LF or CRLF. With {@code quote} set, a
 * record whose quoted field holds a line break spans lines until its quotes balance (RFC 4180), so each record's
 * exact text is kept for the source record. A quote that never closes properly (not before the end of the file,
 * {@value #MAX_CONTINUATION_LINES} more lines or {@value #MAX_RECORD_CHARS} characters, or a closing quote followed by
 * something other than the separator or the line's end) is a broken line, not a field with line breaks: that line
 * alone is returned (the mapping rejects it) and the lines after it are read as records again, so one stray quote
 * cannot swallow the rest of a file.
 */
public final class LogicalLines implements java.io.Closeable {

    static final int MAX_CONTINUATION_LINES = 100;
    static final int MAX_RECORD_CHARS = 65_536;

    private final BufferedReader reader;
    private final Deque<String> givenBack = new ArrayDeque<>();
    private final char quote;
    private final char separator;

    private enum Shape { COMPLETE, OPEN, MALFORMED }
    private int physicalLine;
    private int recordStartLine;

    /** Lines as they are ({@code quote} 0), or CSV records quoted with {@code quote} and split by {@code separator}. */
    public LogicalLines(InputStream in, char quote, char separator) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.quote = quote;
        this.separator = separator;
    }

    public LogicalLines(InputStream in, char quote) {
        this(in, quote, (char) 0);
    }

    /** The next record's text without its line ending, or null at the end. */
    public String next() throws IOException {
        String line = readLine();
        if (line == null) {
            return null;
        }
        recordStartLine = physicalLine;
        if (physicalLine == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        if (quote == 0 || shape(line) != Shape.OPEN) {
            return line; // a malformed single line is the mapping's to reject
        }
        StringBuilder record = new StringBuilder(line);
        List<String> continuation = new ArrayList<>();
        Shape shape = Shape.OPEN;
        while (shape == Shape.OPEN) {
            String more = readLine();
            if (more != null) {
                continuation.add(more);
                record.append('\n').append(more);
                shape = shape(record);
            }
            if (more == null || shape == Shape.MALFORMED || continuation.size() > MAX_CONTINUATION_LINES
                    || record.length() > MAX_RECORD_CHARS) {
                for (int i = continuation.size() - 1; i >= 0; i--) {
                    givenBack.addFirst(continuation.get(i));
                }
                physicalLine -= continuation.size(); // read again, as records of their own
                return line;
            }
        }
        return record.toString();
    }

    private String readLine() throws IOException {
        String line = givenBack.isEmpty() ? reader.readLine() : givenBack.pollFirst();
        if (line != null) {
            physicalLine++;
        }
        return line;
    }

    /** The line number (1-based) where the last record returned started. */
    public int lineNumber() {
        return recordStartLine;
    }

    /** Whether a record is whole, still inside a quoted field, or has a quote closed in the middle of a field. */
    private Shape shape(CharSequence text) {
        boolean inside = false;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != quote) {
                continue;
            }
            if (inside && i + 1 < text.length() && text.charAt(i + 1) == quote) {
                i++; // "" inside a quoted field
            } else if (inside) {
                inside = false;
                char next = i + 1 < text.length() ? text.charAt(i + 1) : '\n';
                if (separator != 0 && next != separator && next != '\n' && next != '\r') {
                    return Shape.MALFORMED;
                }
            } else {
                inside = true;
            }
        }
        return inside ? Shape.OPEN : Shape.COMPLETE;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
