package com.invoicehub.platform;

import java.util.Map;

/**
 * A feature's rule refused a request, said as a domain fact: what kind of refusal, a stable code, the field at
 * fault and any facts a client needs to act on it (e.g. the ids that hold a change back). The features throw it
 * without knowing HTTP; the API's one exception handler says it over HTTP.
 */
public abstract class DomainRefusal extends RuntimeException {

    /** What the refusal means for the caller. */
    public enum Kind {
        /** A value the rules refuse whatever the state: the request must change before it can succeed. */
        INVALID,
        /** What the request names does not exist (or is not the caller's to see). */
        NOT_FOUND,
        /** The request contradicts the current state of what it changes; it may succeed once that state changes. */
        CONFLICT
    }

    protected DomainRefusal(String message) {
        super(message);
    }

    public abstract Kind kind();

    /** The error code of CONTRACT §10, e.g. {@code currency_in_use}. */
    public abstract String code();

    /** The request field at fault, or null. */
    public String field() {
        return null;
    }

    /** Facts beyond the message, answered as fields of the error body beside error, message and field. */
    public Map<String, Object> details() {
        return Map.of();
    }
}
