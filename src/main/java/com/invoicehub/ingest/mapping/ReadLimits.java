package com.invoicehub.ingest.mapping;

/**
 * How much of a partner's input one row may take, so no file can make the hub hold more than this in memory:
 * a line (or a JSON element) longer than {@code maxLineBytes} is a PARSE_ERROR row of its own, of which only the first
 * {@code keptBytes} are kept; a canonical JSON document, which is read whole, is at most {@code maxDocumentBytes}.
 * The hub's values are settings ({@code hub.ingest.max-line-bytes}, {@code hub.ingest.kept-line-bytes},
 * {@code hub.ingest.max-json-bytes}).
 */
public record ReadLimits(int maxLineBytes, int keptBytes, int maxDocumentBytes) {

    public static final ReadLimits DEFAULTS = new ReadLimits(1 << 20, 4096, 8 << 20);

    public ReadLimits {
        if (maxLineBytes < 1 || keptBytes < 1 || keptBytes > maxLineBytes || maxDocumentBytes < 1) {
            throw new IllegalArgumentException("read limits must be positive, with the kept part of a line at most "
                    + "the line limit: " + maxLineBytes + ", " + keptBytes + ", " + maxDocumentBytes);
        }
    }
}
