package com.invoicehub.platform.api;

import com.invoicehub.platform.InvalidValue;

/** A window or as-of value that is neither a date nor a timestamp with offset: the message lists both formats. */
final class NotADateOrTimestamp extends InvalidValue {

    NotADateOrTimestamp(String field, String value) {
        super(field, "'" + value + "' is not " + TimeWindow.ACCEPTED + spaceHint(value));
    }

    /** A {@code +} sent unescaped in a query string arrives as a space: say so, it is the usual cause. */
    private static String spaceHint(String value) {
        return value.contains(" ") ? "; a + in a query string must be sent as %2B" : "";
    }
}
