package com.invoicehub.partners;

import com.invoicehub.platform.DomainRefusal;

/** A partner with this id is registered already (409 {@code conflict}, field {@code id}). */
public class PartnerExists extends DomainRefusal {

    public PartnerExists(String partnerId) {
        super("partner " + partnerId + " already exists");
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
        return "id";
    }
}
