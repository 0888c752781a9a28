package com.invoicehub.ingest.mapping;

import java.util.Collection;

import com.invoicehub.platform.DomainRefusal;

/** No mapping has this name; the message lists the ones the hub has (404 {@code not_found}, field mapping). */
public class MappingNotFound extends DomainRefusal {

    public MappingNotFound(String mapping, Collection<String> known) {
        super("no mapping named '" + mapping + "'; known: " + String.join(", ", known));
    }

    @Override
    public Kind kind() {
        return Kind.NOT_FOUND;
    }

    @Override
    public String code() {
        return "not_found";
    }

    @Override
    public String field() {
        return "mapping";
    }
}
