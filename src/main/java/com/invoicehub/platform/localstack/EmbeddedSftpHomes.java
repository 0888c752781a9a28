package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.invoicehub.platform.sftp.SftpHomes;

/** Partner homes on the embedded SFTP server: a folder per partner with inbox, processed, failed, outbox. */
class EmbeddedSftpHomes implements SftpHomes {

    private final Path root;

    EmbeddedSftpHomes(Path root) {
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
