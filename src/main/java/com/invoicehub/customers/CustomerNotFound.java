package com.invoicehub.customers;

import com.invoicehub.platform.NotFound;

/** No such customer (404 {@code not_found}). */
public class CustomerNotFound extends NotFound {

    public CustomerNotFound(String customerId) {
        super("customer", customerId);
    }
}
