package com.invoicehub.platform.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;


/** Partner homes on the hub's own SFTP server: a folder per partner with inbox, processed, failed, outbox. */
class PartnerSftpHomes implements SftpHomes {

    private final Path root;

    PartnerSftpHomes(Path root) {
        this.root = root;
    }

    @Override
    public void createHome(String partnerId) {
        Path home = root.resolve(partnerId);
        try {
            for (String folder : new String[] {INBOX, PROCESSED, FAILED, OUTBOX}) {
                Files.createDirectories(home.resolve(folder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the SFTP home of " + partnerId, e);
        }
    }
}
