package com.invoicehub.platform.api;

import com.invoicehub.platform.InvalidValue;

/** A {@code zone} parameter that names no time zone. */
final class UnknownTimeZone extends InvalidValue {

    UnknownTimeZone(String zone) {
        super("zone", "'" + zone + "' is not a time zone: an IANA id such as Europe/Berlin or America/New_York "
                + "(UTC when left out)");
    }
}
