package com.invoicehub.ingest.mapping;

import java.util.regex.Pattern;

/**
 * A line or element longer than {@link ReadLimits#maxLineBytes()}: a PARSE_ERROR row of its own whose kept raw text
 * is its first {@link ReadLimits#keptBytes()} bytes and a note of its full length, e.g.
 * {@code D0001…[cut by the hub: 20971520 bytes, the first 4096 kept; the archived file holds it whole]}. A replay
 * cannot read such a record again (its text is not whole): {@link #isCut} tells, and it is rejected the same way.
 */
public final class OverlongInput {

    private static final Pattern NOTE = Pattern.compile(
            "\u2026\\[cut by the hub: \\d+ bytes, the first \\d+ kept; the archived file holds it whole]$");

    private OverlongInput() {
    }

    /** The row for {@code what} (e.g. "line") number {@code rowNumber}, {@code bytes} long, of which {@code kept}. */
    public static SourceRow row(String what, int rowNumber, String kept, long bytes, ReadLimits limits) {
        int keptBytes = kept.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        String raw = kept + "\u2026[cut by the hub: " + bytes + " bytes, the first " + keptBytes
                + " kept; the archived file holds it whole]";
        return SourceRow.unparseable(rowNumber, raw, what + " " + rowNumber + " is " + bytes
                + " bytes long, longer than the limit of " + limits.maxLineBytes()
                + " bytes (hub.ingest.max-line-bytes); only its first " + keptBytes + " bytes are kept");
    }

    /** Whether kept raw text is the cut prefix of an overlong line rather than a whole record. */
    public static boolean isCut(String raw) {
        return raw != null && raw.endsWith("the archived file holds it whole]") && NOTE.matcher(raw).find();
    }

    /** The row a replay makes of a cut record: rejected again, since its text is not whole. */
    public static SourceRow reread(int rowNumber, String raw) {
        return SourceRow.unparseable(rowNumber, raw, "row " + rowNumber + " was longer than the line limit when it "
                + "was received and only its first bytes were kept, so it cannot be read again from them");
    }
}
