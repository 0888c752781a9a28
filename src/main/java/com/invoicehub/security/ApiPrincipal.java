package com.invoicehub.security;

/**
 * A caller authenticated by its API key: a partner or customer (its id), or a machine client of ops or finance (the
 * key's name).
 */
public record ApiPrincipal(Kind kind, String id) {

    public enum Kind { PARTNER, CUSTOMER, OPS, FINANCE }

    public String role() {
        return kind.name();
    }

    /** The customer id when a customer's key made the call; null for ops, finance and partners. */
    public static String customerIdOf(org.springframework.security.core.Authentication caller) {
        return caller != null && caller.getPrincipal() instanceof ApiPrincipal principal
                && principal.kind() == Kind.CUSTOMER ? principal.id() : null;
    }
}
