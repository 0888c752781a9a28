package com.invoicehub.platform.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import com.invoicehub.support.MutableClock;

/** Logins while the database is away: remembered ones with the same password pass, nothing else, never for long. */
class OutageAwareSftpAccountsTest {

    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final List<Throwable> reported = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final OutageAwareSftpAccounts logins = new OutageAwareSftpAccounts(new Accounts(), databaseUp::get,
            reported::add, Duration.ofMinutes(10), clock);

    @Test
    void aLoginVerifiedRecentlyPassesWhileTheDatabaseIsAwayAndOnlyWithTheSamePassword() {
        clock.set(Instant.parse("2026-10-01T10:00:00Z"));
        assertThat(logins.passwordMatches("asu", "right")).isTrue();
        databaseUp.set(false);

        assertThat(logins.passwordMatches("asu", "right")).isTrue();
        assertThatThrownBy(() -> logins.passwordMatches("asu", "wrong"))
                .isInstanceOf(SftpLoginUnavailableException.class);
        assertThatThrownBy(() -> logins.passwordMatches("other", "right"))
                .isInstanceOf(SftpLoginUnavailableException.class);

        clock.set(Instant.parse("2026-10-01T10:10:01Z"));
        assertThatThrownBy(() -> logins.passwordMatches("asu", "right"))
                .isInstanceOf(SftpLoginUnavailableException.class);
    }

    @Test
    void aConnectionFailureIsReportedAndAnsweredFromWhatWasRemembered() {
        assertThat(logins.passwordMatches("asu", "right")).isTrue();
        assertThat(logins.passwordMatches("fails", "right")).isFalse(); // the database said no: nothing remembered
        Accounts.failing = true;
        try {
            assertThat(logins.passwordMatches("asu", "right")).isTrue();
            assertThatThrownBy(() -> logins.passwordMatches("fails", "right"))
                    .isInstanceOf(SftpLoginUnavailableException.class);
            assertThat(reported).hasSize(2);
        } finally {
            Accounts.failing = false;
        }
    }

    @Test
    void aRefusalByTheDatabaseForgetsTheRememberedLogin() {
        assertThat(logins.passwordMatches("asu", "right")).isTrue();
        assertThat(logins.passwordMatches("asu", "old")).isFalse();
        databaseUp.set(false);
        assertThatThrownBy(() -> logins.passwordMatches("asu", "right"))
                .isInstanceOf(SftpLoginUnavailableException.class);
    }

    @Test
    void aClientOfferingSeveralKeysReachesTheRememberedOneInAnOutage() throws Exception {
        PublicKey other = newKey();
        assertThat(logins.publicKeyMatches("asu", KEY)).isTrue();
        databaseUp.set(false);

        assertThat(logins.publicKeyMatches("asu", other)).isFalse(); // not the end of the session: next key, please
        assertThat(logins.publicKeyMatches("asu", KEY)).isTrue();
        assertThatThrownBy(() -> logins.publicKeyMatches("never-seen", KEY))
                .isInstanceOf(SftpLoginUnavailableException.class);
    }

    private static final PublicKey KEY = newKey();

    private static PublicKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "asu" with "right" (or {@link #KEY}) is the one login the database knows; with {@code failing} it cannot be reached. */
    private static final class Accounts implements SftpAccounts {
        static volatile boolean failing;

        @Override
        public boolean passwordMatches(String partnerId, String password) {
            if (failing) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new java.sql.SQLException("Connection refused", "08001"));
            }
            return "asu".equals(partnerId) && "right".equals(password);
        }

        @Override
        public boolean publicKeyMatches(String partnerId, PublicKey key) {
            return "asu".equals(partnerId) && KEY.equals(key);
        }
    }
}
