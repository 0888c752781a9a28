package com.invoicehub.security;

import com.invoicehub.platform.DomainRefusal;

/** A machine key with this name exists, revoked or not (409 {@code conflict}, field {@code name}). */
class MachineKeyExists extends DomainRefusal {

    MachineKeyExists(String name) {
        super("a machine key named " + name + " exists (revoked keys keep their name)");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "conflict";
    }

    @Override
    public String field() {
        return "name";
    }
}
