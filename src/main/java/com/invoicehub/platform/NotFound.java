package com.invoicehub.platform;

/**
 * What a request names does not exist (or is not the caller's to see): {@code "<what> <id> does not exist"}, answered
 * 404 {@code not_found}. Each feature names its own (CustomerNotFound, InvoiceNotFound, ...).
 */
public abstract class NotFound extends DomainRefusal {

    protected NotFound(String what, String id) {
        super(what + " " + id + " does not exist");
    }

    @Override
    public final Kind kind() {
        return Kind.NOT_FOUND;
    }

    @Override
    public String code() {
        return "not_found";
    }
}
