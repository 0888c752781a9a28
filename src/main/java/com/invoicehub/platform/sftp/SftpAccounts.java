package com.invoicehub.platform.sftp;

import java.security.PublicKey;

/** Who may log in to the partners' SFTP server; implemented by the partners module. */
public interface SftpAccounts {

    boolean passwordMatches(String partnerId, String password);

    boolean publicKeyMatches(String partnerId, PublicKey key);
}
