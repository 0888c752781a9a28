package com.invoicehub.ingest.replay;

import com.invoicehub.platform.Conflict;

/** A file is read again from its archived copy, and this one has none (409 {@code not_archived}). */
public class FileNotArchived extends Conflict {

    public FileNotArchived(long fileId) {
        super("not_archived", null, "file " + fileId + " has no archived copy to read again");
    }
}
