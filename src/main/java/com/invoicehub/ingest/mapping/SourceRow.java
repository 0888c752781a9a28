package com.invoicehub.ingest.mapping;

/**
 * One row exactly as the partner sent it ({@code raw}, its 1-based line or element number) with what the mapping
 * made of it: an item, or the reason the mapping already rejects it (with the external id when it could be read).
 */
public record SourceRow(int rowNumber, String raw, String externalId, RawLineItem item, Rejection rejection) {

    public static SourceRow parsed(int rowNumber, String raw, RawLineItem item) {
        return new SourceRow(rowNumber, raw, item.externalId(), item, null);
    }

    public static SourceRow rejected(int rowNumber, String raw, String externalId, Rejection rejection) {
        return new SourceRow(rowNumber, raw, blankToNull(externalId), null, rejection);
    }

    public static SourceRow unparseable(int rowNumber, String raw, String why) {
        return new SourceRow(rowNumber, raw, null, null, Rejection.parseError(why));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
