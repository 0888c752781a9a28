package com.invoicehub.platform.sftp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.invoicehub.platform.DatabaseAvailability;

/**
 * Partner SFTP logins that stay truthful while the database is unreachable. While it answers, every login is checked
 * against it, and a login it accepted is remembered for a short time ({@code hub.database.sftp-login-cache-ttl}) as an
 * HMAC under a key made at start and never stored. While it does not answer, a login remembered with the very same
 * password (or key) is accepted; any other login is refused with {@link SftpLoginUnavailableException}, a temporary
 * failure, since the hub cannot tell a wrong password from a changed one without the database. A login the database
 * refuses forgets what was remembered for that partner, so an old password stops working at its first refusal.
 */
public class OutageAwareSftpAccounts implements SftpAccounts {

    private static final Logger log = LoggerFactory.getLogger(OutageAwareSftpAccounts.class);
    static final String UNAVAILABLE = "partner logins cannot be checked right now because the hub's database is "
            + "unreachable; this is not a wrong password: try again in a minute";

    private record Remembered(byte[] proof, Instant verifiedAt) {
    }

    private final SftpAccounts accounts;
    private final BooleanSupplier databaseAvailable;
    private final Consumer<Throwable> failureReport;
    private final Duration ttl;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    public OutageAwareSftpAccounts(SftpAccounts accounts, DatabaseAvailability database, Duration ttl, Clock clock) {
        this(accounts, database::isAvailable, database::reportFailure, ttl, clock);
    }

    OutageAwareSftpAccounts(SftpAccounts accounts, BooleanSupplier databaseAvailable,
                            Consumer<Throwable> failureReport, Duration ttl, Clock clock) {
        this.accounts = accounts;
        this.databaseAvailable = databaseAvailable;
        this.failureReport = failureReport;
        this.ttl = ttl;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    @Override
    public boolean passwordMatches(String partnerId, String password) {
        return decide("password login of " + partnerId, "password\u0000" + partnerId, password, null,
                () -> accounts.passwordMatches(partnerId, password));
    }

    /**
     * Keys are remembered one by one (a client may offer several): in an outage, a key not remembered is refused
     * plainly when another key of the partner is remembered, so the client goes on to offer that one.
     */
    @Override
    public boolean publicKeyMatches(String partnerId, PublicKey publicKey) {
        String fingerprint = KeyUtils.getFingerPrint(publicKey);
        String keys = "key\u0000" + partnerId + "\u0000";
        return decide("key login of " + partnerId, keys + fingerprint, fingerprint, keys,
                () -> accounts.publicKeyMatches(partnerId, publicKey));
    }

    private boolean decide(String login, String slot, String secret, String otherSlots, BooleanSupplier database) {
        byte[] proof = proof(slot, secret);
        if (databaseAvailable.getAsBoolean()) {
            try {
                boolean matches = database.getAsBoolean();
                if (matches) {
                    remembered.values().removeIf(old -> !fresh(old));
                    remembered.put(slot, new Remembered(proof, clock.instant()));
                } else {
                    remembered.remove(slot);
                }
                return matches;
            } catch (RuntimeException e) {
                if (!DatabaseAvailability.isUnavailable(e)) {
                    throw e;
                }
                failureReport.accept(e);
            }
        }
        Remembered known = remembered.get(slot);
        if (known != null && fresh(known) && MessageDigest.isEqual(known.proof(), proof)) {
            log.info("SFTP {} accepted: verified within the last {} (the database does not answer)", login, ttl);
            return true;
        }
        if (otherSlots != null && remembered.entrySet().stream()
                .anyMatch(other -> other.getKey().startsWith(otherSlots) && fresh(other.getValue()))) {
            return false;
        }
        log.warn("SFTP {} refused as a temporary failure: the database does not answer", login);
        throw new SftpLoginUnavailableException(UNAVAILABLE);
    }

    private boolean fresh(Remembered known) {
        Duration age = Duration.between(known.verifiedAt(), clock.instant());
        return !age.isNegative() && age.compareTo(ttl) <= 0;
    }

    private byte[] proof(String slot, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal((slot + "\u0000" + secret).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
