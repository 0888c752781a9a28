package com.invoicehub.customers;

import com.invoicehub.platform.DomainRefusal;

/** A customer with this id is registered already (409 {@code conflict}, field {@code id}). */
public class CustomerExists extends DomainRefusal {

    public CustomerExists(String customerId) {
        super("customer " + customerId + " already exists");
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
