package com.invoicehub.security;

import java.util.Optional;

/** Finds who owns an API key, by the key's SHA-256; one per module that issues keys. */
public interface ApiKeyLookup {

    Optional<ApiPrincipal> findByKeyHash(String keyHash);

    /** The prefix of the keys this module issues ({@code ihp}, {@code ihc}): such a key is looked up here first. */
    String keyPrefix();
}
