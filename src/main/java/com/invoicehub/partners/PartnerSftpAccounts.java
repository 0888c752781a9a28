package com.invoicehub.partners;

import java.security.PublicKey;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.sftp.SftpAccounts;
import com.invoicehub.shared.Ids;

/** SFTP logins: a partner's id with the password (or public key) it was issued. */
@Component
class PartnerSftpAccounts implements SftpAccounts {

    private final PartnerRepository partners;
    private final PasswordEncoder passwords;

    PartnerSftpAccounts(PartnerRepository partners, PasswordEncoder passwords) {
        this.partners = partners;
        this.passwords = passwords;
    }

    @Override
    public boolean passwordMatches(String partnerId, String password) {
        return Ids.isValid(partnerId) && partners.sftpPasswordHash(partnerId)
                .map(hash -> passwords.matches(password, hash))
                .orElse(false);
    }

    @Override
    public boolean publicKeyMatches(String partnerId, PublicKey key) {
        return Ids.isValid(partnerId) && partners.sftpPublicKey(partnerId)
                .flatMap(SftpPublicKeys::parse)
                .map(known -> KeyUtils.compareKeys(known, key))
                .orElse(false);
    }
}
