package com.invoicehub.partners;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.platform.api.Page;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.platform.sftp.SftpHomes;
import com.invoicehub.security.Credentials;
import com.invoicehub.security.SecretCipher;

/** Partners: register, read, rotate credentials. Every change is audited in its own transaction. */
@Service
public class PartnerRegistry {

    private final PartnerRepository partners;
    private final SftpHomes sftpHomes;
    private final SecretCipher cipher;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;

    PartnerRegistry(PartnerRepository partners, SftpHomes sftpHomes, SecretCipher cipher, PasswordEncoder passwords,
                    AuditLog audit, Clock clock) {
        this.partners = partners;
        this.sftpHomes = sftpHomes;
        this.cipher = cipher;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public IssuedPartnerCredentials register(NewPartner request) {
        SftpPublicKeys.requireValid(request.sftpPublicKey());
        String apiKey = Credentials.newApiKey(PartnerApiKeys.PREFIX);
        String signingSecret = Credentials.newSigningSecret();
        String sftpPassword = Credentials.newPassword();
        boolean inserted = partners.insert(request, Credentials.hashApiKey(apiKey), cipher.encrypt(signingSecret),
                passwords.encode(sftpPassword), clock.instant());
        if (!inserted) {
            throw new PartnerExists(request.id());
        }
        sftpHomes.createHome(request.id());
        Partner partner = get(request.id());
        audit.record("partner.created", "partner", partner.id(), null, partner);
        return new IssuedPartnerCredentials(partner, apiKey, signingSecret, sftpPassword);
    }

    @Transactional
    public IssuedPartnerCredentials rotateCredentials(String id) {
        Partner before = get(id);
        String apiKey = Credentials.newApiKey(PartnerApiKeys.PREFIX);
        String signingSecret = Credentials.newSigningSecret();
        String sftpPassword = Credentials.newPassword();
        Instant now = clock.instant();
        partners.replaceCredentials(id, Credentials.hashApiKey(apiKey), cipher.encrypt(signingSecret),
                passwords.encode(sftpPassword), now);
        Partner after = get(id);
        audit.record("partner.credentials-rotated", "partner", id, before, after);
        return new IssuedPartnerCredentials(after, apiKey, signingSecret, sftpPassword);
    }

    public Partner get(String id) {
        return partners.find(id).orElseThrow(() -> new PartnerNotFound(id));
    }

    public Page<Partner> list(Integer size, String cursor) {
        int limit = Page.size(size);
        List<Partner> rows = partners.page(Page.decodeCursor(cursor), limit + 1);
        return Page.of(rows, limit, Partner::id);
    }

    /** The plain signing secret, for verifying the partner's webhook signatures. */
    public String signingSecret(String partnerId) {
        return cipher.decrypt(partners.signingSecretEncrypted(partnerId)
                .orElseThrow(() -> new PartnerNotFound(partnerId)));
    }
}
