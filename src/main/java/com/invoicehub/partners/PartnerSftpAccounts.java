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
    /** Checked against for an unknown id, so a refusal takes as long whether the partner exists or not. */
    private final String noPartnersHash;

    PartnerSftpAccounts(PartnerRepository partners, PasswordEncoder passwords) {
        this.partners = partners;
        this.passwords = passwords;
        this.noPartnersHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }

    @Override
    public boolean passwordMatches(String partnerId, String password) {
        String hash = Ids.isValid(partnerId) ? partners.sftpPasswordHash(partnerId).orElse(null) : null;
        boolean matches = passwords.matches(password, hash == null ? noPartnersHash : hash);
        return hash != null && matches;
    }

    @Override
    public boolean publicKeyMatches(String partnerId, PublicKey key) {
        return Ids.isValid(partnerId) && partners.sftpPublicKey(partnerId)
                .flatMap(SftpPublicKeys::parse)
                .map(known -> KeyUtils.compareKeys(known, key))
                .orElse(false);
    }
}
