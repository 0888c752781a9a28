package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import com.invoicehub.support.MutableClock;

/** Spring-free: BCrypt runs for a first match, a guess and a changed hash, never for a remembered match. */
class RememberingPasswordEncoderTest {

    private final PasswordEncoder bcrypt = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final AtomicInteger bcryptRuns = new AtomicInteger();
    private final PasswordEncoder counted = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            bcryptRuns.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    };
    private final MutableClock clock = new MutableClock();

    @Test
    void aMatchIsRememberedForItsTtlAndAGuessAlwaysPaysBcrypt() {
        clock.set(Instant.parse("2026-12-01T10:00:00Z"));
        RememberingPasswordEncoder encoder = new RememberingPasswordEncoder(counted, Duration.ofMinutes(5), clock);
        String hash = encoder.encode("s3cret-ops");

        assertThat(encoder.matches("s3cret-ops", hash)).isTrue();
        assertThat(encoder.matches("s3cret-ops", hash)).isTrue();
        assertThat(bcryptRuns).hasValue(1);

        assertThat(encoder.matches("guess", hash)).isFalse();
        assertThat(encoder.matches("guess", hash)).isFalse();
        assertThat(bcryptRuns).hasValue(3);

        // A rotated password has a new hash: the old password is checked against it, and fails.
        String rotated = encoder.encode("new-secret");
        assertThat(encoder.matches("s3cret-ops", rotated)).isFalse();
        assertThat(bcryptRuns).hasValue(4);

        clock.set(Instant.parse("2026-12-01T10:05:00Z"));
        assertThat(encoder.matches("s3cret-ops", hash)).isTrue();
        assertThat(bcryptRuns).hasValue(5);
    }

    @Test
    void aZeroTtlRemembersNothing() {
        RememberingPasswordEncoder encoder = new RememberingPasswordEncoder(counted, Duration.ZERO, clock);
        String hash = encoder.encode("s3cret-ops");
        assertThat(encoder.matches("s3cret-ops", hash)).isTrue();
        assertThat(encoder.matches("s3cret-ops", hash)).isTrue();
        assertThat(bcryptRuns).hasValue(2);
    }
}
