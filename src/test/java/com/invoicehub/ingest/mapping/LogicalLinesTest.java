package com.invoicehub.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Lines are read as sent, and a line over the limit never is held whole. */
class LogicalLinesTest {

    private static final ReadLimits SMALL = new ReadLimits(100, 10, 1000);

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} bytes of {@code b}, made as they are read: nothing holds them all. */
    private static InputStream repeated(byte b, long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                return left-- > 0 ? b : -1;
            }

            @Override
            public int read(byte[] into, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(into, off, off + n, b);
                left -= n;
                return n;
            }
        };
    }

    private static List<String> all(LogicalLines lines) throws IOException {
        List<String> records = new ArrayList<>();
        for (String record = lines.next(); record != null; record = lines.next()) {
            records.add(lines.lineNumber() + ":" + record + (lines.tooLong() != null ? " (too long)" : ""));
        }
        return records;
    }

    @Test
    void aLineOverTheLimitIsARowOfItsOwnWithOnlyItsFirstBytesKept() throws IOException {
        LogicalLines lines = new LogicalLines(text("short\n" + "x".repeat(1000) + "\nafter\n"), (char) 0, SMALL);
        assertThat(lines.next()).isEqualTo("short");
        assertThat(lines.tooLong()).isNull();

        assertThat(lines.next()).isEqualTo("x".repeat(10));
        SourceRow row = lines.tooLong();
        assertThat(row.rowNumber()).isEqualTo(2);
        assertThat(row.rejection().code()).isEqualTo(ReasonCode.PARSE_ERROR);
        assertThat(row.rejection().message()).contains("line 2").contains("1000 bytes").contains("100 bytes");
        assertThat(row.raw()).startsWith("x".repeat(10) + "\u2026[cut by the hub: 1000 bytes, the first 10 kept");
        assertThat(OverlongInput.isCut(row.raw())).isTrue();

        assertThat(lines.next()).isEqualTo("after");
        assertThat(lines.lineNumber()).isEqualTo(3);
        assertThat(lines.tooLong()).isNull();
        assertThat(lines.next()).isNull();
    }

    @Test
    void aLineOfExactlyTheLimitIsWhole() throws IOException {
        LogicalLines lines = new LogicalLines(text("y".repeat(100) + "\r\n" + "z".repeat(101)), (char) 0, SMALL);
        assertThat(lines.next()).hasSize(100);
        assertThat(lines.tooLong()).isNull();
        assertThat(lines.next()).hasSize(10);
        assertThat(lines.tooLong().rejection().message()).contains("101 bytes");
    }

    @Test
    void aTwentyMegabyteLineIsSkippedWithoutBeingHeld() throws IOException {
        InputStream file = new SequenceInputStream(new SequenceInputStream(text("first\n"),
                repeated((byte) 'q', 20L << 20)), text("\nlast\n"));
        LogicalLines lines = new LogicalLines(file, '"', ',', ReadLimits.DEFAULTS);
        assertThat(all(lines)).containsExactly("1:first", "2:" + "q".repeat(4096) + " (too long)", "3:last");
    }

    @Test
    void theKeptPartEndsOnACharacterBoundary() throws IOException {
        LogicalLines lines = new LogicalLines(text("\u00e9".repeat(100)), (char) 0, new ReadLimits(100, 11, 1000));
        assertThat(lines.next()).isEqualTo("\u00e9".repeat(5));
        assertThat(lines.tooLong().raw()).contains("200 bytes, the first 10 kept");
    }

    @Test
    void lineEndsByteOrderMarkAndControlCharactersAreAsSent() throws IOException {
        LogicalLines lines = new LogicalLines(text("\uFEFFa\r\nb\rc\nd\u0000e\tf\n\nlast"), (char) 0, SMALL);
        assertThat(all(lines)).containsExactly("1:a", "2:b", "3:c", "4:d\u0000e\tf", "5:", "6:last");
    }

    @Test
    void aQuotedRecordKeepsItsLineBreaksButAnOverlongLineEndsIt() throws IOException {
        String file = "a,\"two\nlines\",b\n" + "c,\"open\n" + "w".repeat(500) + "\nd,e\n";
        LogicalLines lines = new LogicalLines(text(file), '"', ',', SMALL);
        assertThat(all(lines)).containsExactly("1:a,\"two\nlines\",b", "3:c,\"open", "4:" + "w".repeat(10)
                + " (too long)", "5:d,e");
    }
}
