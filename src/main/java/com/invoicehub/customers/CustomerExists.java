package com.invoicehub.customers;

import com.invoicehub.platform.Conflict;

/** A customer with this id is registered already (409 {@code conflict}, field {@code id}). */
public class CustomerExists extends Conflict {

    public CustomerExists(String customerId) {
        super("conflict", "id", "customer " + customerId + " already exists");
    }
}
