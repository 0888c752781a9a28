package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * What the JSON mappings (the canonical one and partner shapes) share: a document read whole but bounded, an item too
 * long to keep as a PARSE_ERROR row of its own, and the rows handed out one by one.
 */
final class JsonDocuments {

    private JsonDocuments() {
    }

    /** The document as text, well-formed JSON, refused whole when longer than the limit. */
    static String read(InputStream file, ReadLimits limits) throws IOException {
        byte[] bytes = file.readNBytes(limits.maxDocumentBytes() + 1);
        if (bytes.length > limits.maxDocumentBytes()) {
            throw new FileRefusedException("a JSON document is at most " + limits.maxDocumentBytes()
                    + " bytes (hub.ingest.max-json-bytes); this one is longer");
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        CanonicalJsonMapping.requireWellFormed(body);
        return body;
    }

    /** The item's row: read by {@code reader}, or a PARSE_ERROR keeping its first bytes when it is too long. */
    static SourceRow item(int rowNumber, String raw, ReadLimits limits, Function<String, SourceRow> reader) {
        if ((long) raw.length() * 3 > limits.maxLineBytes()) { // UTF-8 takes at most 3 bytes per char
            byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > limits.maxLineBytes()) {
                String kept = new String(bytes, 0, limits.keptBytes(), StandardCharsets.UTF_8);
                if (kept.endsWith("\uFFFD")) {
                    kept = kept.substring(0, kept.length() - 1); // a character cut in two
                }
                return OverlongInput.row("item", rowNumber, kept, bytes.length, limits);
            }
        }
        return reader.apply(raw);
    }

    static RowReader rows(List<SourceRow> rows) {
        return new RowReader() {
            private int next;

            @Override
            public SourceRow next() {
                return next < rows.size() ? rows.get(next++) : null;
            }

            @Override
            public void close() {
            }
        };
    }
}
