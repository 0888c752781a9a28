package com.invoicehub.ingest.mapping;

import com.invoicehub.platform.Conflict;

/** A record was read by a mapping the hub no longer has, so it cannot be read again (409 {@code unknown_mapping}). */
public class MappingRetired extends Conflict {

    public MappingRetired(long recordId, String mapping) {
        super("unknown_mapping", null,
                "record " + recordId + " was read by mapping '" + mapping + "', which the hub no longer has");
    }
}
