package com.invoicehub.platform;

/**
 * A value a feature's rules refuse, whatever the state (a day of month out of range, an unknown currency): the
 * field at fault and why. Answered 400 {@code validation_failed} with the message {@code "<field>: <why>"}.
 */
public class InvalidValue extends DomainRefusal {

    private final String field;

    public InvalidValue(String field, String why) {
        super(field + ": " + why);
        this.field = field;
    }

    @Override
    public final Kind kind() {
        return Kind.INVALID;
    }

    @Override
    public final String code() {
        return "validation_failed";
    }

    @Override
    public final String field() {
        return field;
    }
}
