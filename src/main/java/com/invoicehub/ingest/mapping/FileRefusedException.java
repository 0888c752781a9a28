package com.invoicehub.ingest.mapping;

/** The file as a whole cannot be read (wrong layout, missing trailer, totals that disagree): nothing is applied. */
public class FileRefusedException extends RuntimeException {

    public FileRefusedException(String reason) {
        super(reason);
    }
}
