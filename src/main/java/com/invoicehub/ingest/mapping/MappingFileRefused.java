package com.invoicehub.ingest.mapping;

/** A mapping file under {@code mappings/json/} that cannot be used as written: the message says why. */
public class MappingFileRefused extends RuntimeException {

    public MappingFileRefused(String message) {
        super(message);
    }
}
