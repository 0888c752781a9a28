package com.invoicehub.ingest;

/** Another node holds the receipt's lease: this try stops, and the channel tries again later. */
public class ReceiptBusyException extends RuntimeException {

    public ReceiptBusyException(long fileId) {
        super("file " + fileId + " is being processed by another node");
    }
}
