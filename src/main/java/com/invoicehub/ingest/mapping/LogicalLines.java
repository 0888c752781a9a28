package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Reads a text file line by line as sent: UTF-8, a byte-order mark dropped, LF, CRLF or CR. With {@code quote} set, a
 * record whose quoted field holds a line break spans lines until its quotes balance (RFC 4180), so each record's
 * exact text is kept for the source record. A quote that never closes properly (not before the end of the file,
 * {@value #MAX_CONTINUATION_LINES} more lines or {@value #MAX_RECORD_CHARS} characters, or a closing quote followed by
 * something other than the separator or the line's end) is a broken line, not a field with line breaks: that line
 * alone is returned (the mapping rejects it) and the lines after it are read as records again, so one stray quote
 * cannot swallow the rest of a file.
 * <p>
 * A line longer than {@link ReadLimits#maxLineBytes()} is never held whole: the reader keeps its first
 * {@link ReadLimits#keptBytes()}, counts the rest on its way to the next line break, and {@link #tooLong()} gives the
 * PARSE_ERROR row the mapping answers for it.
 */
public final class LogicalLines implements java.io.Closeable {

    static final int MAX_CONTINUATION_LINES = 100;
    static final int MAX_RECORD_CHARS = 65_536;

    /** A physical line: its text (the kept part when cut) and its full length in bytes, line break excluded. */
    private record Line(String text, long bytes, boolean cut) {
    }

    private final InputStream in;
    private final ReadLimits limits;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int filled;
    private boolean skipLineFeed;
    private byte[] line = new byte[512];
    private final Deque<Line> givenBack = new ArrayDeque<>();
    private final char quote;
    private final char separator;

    private enum Shape { COMPLETE, OPEN, MALFORMED }
    private int physicalLine;
    private int recordStartLine;
    private Line lastCut;

    /** Lines as they are ({@code quote} 0), or CSV records quoted with {@code quote} and split by {@code separator}. */
    public LogicalLines(InputStream in, char quote, char separator, ReadLimits limits) {
        this.in = in;
        this.quote = quote;
        this.separator = separator;
        this.limits = limits;
    }

    public LogicalLines(InputStream in, char quote, ReadLimits limits) {
        this(in, quote, (char) 0, limits);
    }

    /** The next record's text without its line ending, or null at the end. */
    public String next() throws IOException {
        Line first = readLine();
        if (first == null) {
            return null;
        }
        recordStartLine = physicalLine;
        lastCut = first.cut() ? first : null;
        String line = first.text();
        if (physicalLine == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        if (first.cut() || quote == 0 || shape(line) != Shape.OPEN) {
            return line; // a malformed single line is the mapping's to reject
        }
        StringBuilder record = new StringBuilder(line);
        List<Line> continuation = new ArrayList<>();
        Shape shape = Shape.OPEN;
        while (shape == Shape.OPEN) {
            Line more = readLine();
            if (more != null) {
                continuation.add(more);
                if (more.cut()) {
                    shape = Shape.MALFORMED; // a record over the line limit is no field with line breaks
                } else {
                    record.append('\n').append(more.text());
                    shape = shape(record);
                }
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

    /**
     * The PARSE_ERROR row for the record {@link #next()} just returned if that was a line longer than the limit
     * (its text then is only the kept part), or null when it was read whole.
     */
    public SourceRow tooLong() {
        return lastCut == null ? null
                : OverlongInput.row("line", recordStartLine, lastCut.text(), lastCut.bytes(), limits);
    }

    private Line readLine() throws IOException {
        Line line = givenBack.isEmpty() ? readPhysicalLine() : givenBack.pollFirst();
        if (line != null) {
            physicalLine++;
        }
        return line;
    }

    /** The next physical line, holding at most the line limit of it (only the kept part once it is over). */
    private Line readPhysicalLine() throws IOException {
        int stored = 0;
        long length = 0;
        boolean seen = false;
        while (true) {
            if (position == filled && !fill()) {
                return seen ? line(stored, length) : null;
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++; // the LF of a CRLF
                    continue;
                }
            }
            seen = true;
            int start = position;
            while (position < filled && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int count = position - start;
            stored = keep(start, count, stored, length);
            length += count;
            if (position < filled) {
                skipLineFeed = buffer[position] == '\r';
                position++;
                return line(stored, length);
            }
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer, 0, buffer.length);
        while (read == 0) {
            read = in.read(buffer, 0, buffer.length);
        }
        position = 0;
        filled = Math.max(read, 0);
        return read > 0;
    }

    /** Stores {@code count} more bytes of the line: all of them while within the limit, else up to the kept part. */
    private int keep(int start, int count, int stored, long length) {
        int upTo = length + count <= limits.maxLineBytes() ? stored + count
                : (int) Math.max(stored, Math.min(limits.keptBytes(), stored + (long) count));
        if (upTo > stored) {
            if (upTo > line.length) {
                line = Arrays.copyOf(line, Math.max(upTo, Math.min(line.length * 2, limits.maxLineBytes())));
            }
            System.arraycopy(buffer, start, line, stored, upTo - stored);
        }
        return upTo;
    }

    private Line line(int stored, long length) {
        if (length <= limits.maxLineBytes()) {
            return new Line(new String(line, 0, stored, StandardCharsets.UTF_8), length, false);
        }
        int kept = characterBoundary(Math.min(stored, limits.keptBytes()));
        return new Line(new String(line, 0, kept, StandardCharsets.UTF_8), length, true);
    }

    /** The largest length at most {@code end} that does not split a UTF-8 sequence. */
    private int characterBoundary(int end) {
        int lead = end - 1;
        while (lead >= 0 && end - lead <= 4 && (line[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return end;
        }
        int b = line[lead] & 0xFF;
        int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + size > end ? lead : end;
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
        in.close();
    }
}
