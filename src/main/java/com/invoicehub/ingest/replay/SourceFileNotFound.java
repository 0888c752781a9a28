package com.invoicehub.ingest.replay;

import com.invoicehub.platform.NotFound;

/** No such received file (404 {@code not_found}). */
public class SourceFileNotFound extends NotFound {

    public SourceFileNotFound(long fileId) {
        super("file", Long.toString(fileId));
    }
}
