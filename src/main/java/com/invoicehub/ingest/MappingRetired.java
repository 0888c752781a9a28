package com.invoicehub.ingest;

import com.invoicehub.platform.DomainRefusal;

/** A record was read by a mapping the hub no longer has, so it cannot be read again (409 {@code unknown_mapping}). */
public class MappingRetired extends DomainRefusal {

    public MappingRetired(long recordId, String mapping) {
        super("record " + recordId + " was read by mapping '" + mapping + "', which the hub no longer has");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "unknown_mapping";
    }
}
