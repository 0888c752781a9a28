package com.invoicehub.ingest;

import com.invoicehub.platform.DomainRefusal;

/** A file is read again from its archived copy, and this one has none (409 {@code not_archived}). */
public class FileNotArchived extends DomainRefusal {

    public FileNotArchived(long fileId) {
        super("file " + fileId + " has no archived copy to read again");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "not_archived";
    }
}
