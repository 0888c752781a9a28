package com.invoicehub.partners;

import java.util.Optional;

import org.springframework.stereotype.Component;

import com.invoicehub.security.ApiKeyLookup;
import com.invoicehub.security.ApiPrincipal;

@Component
class PartnerApiKeys implements ApiKeyLookup {

    /** What this module's API keys start with (before the underscore). */
    static final String PREFIX = "ihp";

    private final PartnerRepository partners;

    PartnerApiKeys(PartnerRepository partners) {
        this.partners = partners;
    }

    @Override
    public Optional<ApiPrincipal> findByKeyHash(String keyHash) {
        return partners.idByApiKeyHash(keyHash).map(id -> new ApiPrincipal(ApiPrincipal.Kind.PARTNER, id));
    }

    @Override
    public String keyPrefix() {
        return PREFIX;
    }
}
