package com.invoicehub.security;

import com.invoicehub.platform.Conflict;

/** A machine key with this name exists, revoked or not (409 {@code conflict}, field {@code name}). */
class MachineKeyExists extends Conflict {

    MachineKeyExists(String name) {
        super("conflict", "name", "a machine key named " + name + " exists (revoked keys keep their name)");
    }
}
