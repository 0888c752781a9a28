package com.invoicehub.shared;

import java.util.regex.Pattern;

/** The id rule of CONTRACT §3, shared by partners and customers. */
public final class Ids {

    public static final String PATTERN = "[a-z0-9][a-z0-9-]{1,62}";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Ids() {
    }

    public static boolean isValid(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }
}
