package com.invoicehub.platform;

/**
 * A request that contradicts the current state of what it changes (409): it may succeed once that state changes.
 * Each feature names its own (e.g. {@code InvoiceAlreadyDecided}) with a stable code and the field at fault, if any.
 */
public abstract class Conflict extends DomainRefusal {

    private final String code;
    private final String field;

    protected Conflict(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    @Override
    public final Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public final String code() {
        return code;
    }

    @Override
    public final String field() {
        return field;
    }
}
