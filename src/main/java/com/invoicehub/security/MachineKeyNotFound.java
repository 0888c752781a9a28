package com.invoicehub.security;

import com.invoicehub.platform.NotFound;

/** No machine key has this name (404 {@code not_found}). */
class MachineKeyNotFound extends NotFound {

    MachineKeyNotFound(String name) {
        super("machine key", name);
    }
}
