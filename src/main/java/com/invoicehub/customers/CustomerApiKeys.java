package com.invoicehub.customers;

import java.util.Optional;

import org.springframework.stereotype.Component;

import com.invoicehub.security.ApiKeyLookup;
import com.invoicehub.security.ApiPrincipal;

@Component
class CustomerApiKeys implements ApiKeyLookup {

    /** What this module's API keys start with (before the underscore). */
    static final String PREFIX = "ihc";

    private final CustomerRepository customers;

    CustomerApiKeys(CustomerRepository customers) {
        this.customers = customers;
    }

    @Override
    public Optional<ApiPrincipal> findByKeyHash(String keyHash) {
        return customers.idByApiKeyHash(keyHash).map(id -> new ApiPrincipal(ApiPrincipal.Kind.CUSTOMER, id));
    }

    @Override
    public String keyPrefix() {
        return PREFIX;
    }
}
