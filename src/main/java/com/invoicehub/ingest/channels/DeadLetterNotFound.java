package com.invoicehub.ingest.channels;

import com.invoicehub.platform.NotFound;

/** The message is not (or no longer) on the dead-letter queue (404 {@code not_found}). */
public class DeadLetterNotFound extends NotFound {

    public DeadLetterNotFound(String messageId) {
        super("dead letter", messageId);
    }
}
