package com.invoicehub.partners;

import java.security.PublicKey;
import java.util.Optional;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import com.invoicehub.platform.InvalidValue;

/** Reads a partner's SFTP public key in the OpenSSH one-line form ({@code ssh-ed25519 AAAA... comment}). */
final class SftpPublicKeys {

    private SftpPublicKeys() {
    }

    static void requireValid(String text) {
        if (text != null && !text.isBlank() && parse(text).isEmpty()) {
            throw new InvalidValue("sftpPublicKey", "is not an OpenSSH public key (ssh-ed25519 AAAA..., "
                    + "ssh-rsa AAAA... or ecdsa-sha2-nistp256 AAAA...)");
        }
    }

    static Optional<PublicKey> parse(String text) {
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(text.trim());
            return entry == null ? Optional.empty()
                    : Optional.ofNullable(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
