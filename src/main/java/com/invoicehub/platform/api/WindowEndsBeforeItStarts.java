package com.invoicehub.platform.api;

import java.time.OffsetDateTime;

import com.invoicehub.platform.InvalidValue;

/** A window whose end is not after its start: it would hold nothing, which is never what was meant. */
final class WindowEndsBeforeItStarts extends InvalidValue {

    WindowEndsBeforeItStarts(OffsetDateTime from, OffsetDateTime to) {
        super("to", "must be after from (from is " + from + ", to is " + to + ")");
    }
}
