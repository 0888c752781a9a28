package com.invoicehub.platform.sftp;

/** Makes a partner's SFTP home with its four folders. */
public interface SftpHomes {

    String INBOX = "inbox";
    String PROCESSED = "processed";
    String FAILED = "failed";
    String OUTBOX = "outbox";

    void createHome(String partnerId);
}
