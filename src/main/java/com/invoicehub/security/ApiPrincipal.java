package com.invoicehub.security;

/**
 * A caller authenticated by its API key: a partner or customer (its id), or a machine client of ops or finance (the
 * key's name).
 */
public record ApiPrincipal(Kind kind, String id) implements java.security.Principal {

    public enum Kind { PARTNER, CUSTOMER, OPS, FINANCE }

    public String role() {
        return kind.name();
    }

    /** The caller as the audit names it, e.g. {@code partner:asu-online}, {@code ops:nightly-trigger}. */
    @Override
    public String getName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }

    /** The customer id when a customer's key made the call; null for ops, finance and partners. */
    public static String customerIdOf(org.springframework.security.core.Authentication caller) {
        return caller != null && caller.getPrincipal() instanceof ApiPrincipal principal
                && principal.kind() == Kind.CUSTOMER ? principal.id() : null;
    }
}
