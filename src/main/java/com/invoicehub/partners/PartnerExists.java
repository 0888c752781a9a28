package com.invoicehub.partners;

import com.invoicehub.platform.Conflict;

/** A partner with this id is registered already (409 {@code conflict}, field {@code id}). */
public class PartnerExists extends Conflict {

    public PartnerExists(String partnerId) {
        super("conflict", "id", "partner " + partnerId + " already exists");
    }
}
