package com.invoicehub.ingest.mapping;

/** A record's fault: the code, a message for a person, and the field at fault when there is one. */
public record Rejection(ReasonCode code, String message, String field) {

    public static Rejection parseError(String message) {
        return new Rejection(ReasonCode.PARSE_ERROR, message, null);
    }
}
