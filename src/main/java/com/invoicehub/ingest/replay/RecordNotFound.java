package com.invoicehub.ingest.replay;

import com.invoicehub.platform.NotFound;

/** No such source record (404 {@code not_found}); an empty id when a replay named none. */
public class RecordNotFound extends NotFound {

    public RecordNotFound(String recordId) {
        super("record", recordId);
    }
}
