package com.invoicehub.security;

/** A partner or customer authenticated by its API key. */
public record ApiPrincipal(Kind kind, String id) {

    public enum Kind { PARTNER, CUSTOMER }

    public String role() {
        return kind.name();
    }
}
