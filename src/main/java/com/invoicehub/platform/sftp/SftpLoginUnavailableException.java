package com.invoicehub.platform.sftp;

/**
 * A login that cannot be decided right now (the database holding the credentials does not answer): the SFTP server
 * refuses it as a temporary failure, which a client can tell from a wrong password.
 */
public class SftpLoginUnavailableException extends RuntimeException {

    public SftpLoginUnavailableException(String message) {
        super(message);
    }
}
