package com.invoicehub.security;

/** A partner or customer authenticated by its API key. */
public record ApiPrincipal(Kind kind, String id) {

    public enum Kind { PARTNER, CUSTOMER }

    public String role() {
        return kind.name();
    }

    /** The customer id when a customer's key made the call; null for ops, finance and partners. */
    public static String customerIdOf(org.springframework.security.core.Authentication caller) {
        return caller != null && caller.getPrincipal() instanceof ApiPrincipal principal
                && principal.kind() == Kind.CUSTOMER ? principal.id() : null;
    }
}
