package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.platform.LocalStackMode;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Rotating the hub key on the real tables: every stored secret moves under the new key, keeps its plain value, and
 * a pass run twice (two nodes) changes nothing more. The test rotates back, so the shared context's key reads again.
 */
@HubIntegrationTest
class EncryptionKeyRotationTest {

    private static final String NEW_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @Autowired
    JdbcClient jdbc;
    @Autowired
    List<EncryptedColumn> columns;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    LocalStackMode localStack;

    @Test
    void everyStoredSecretMovesUnderTheNewKeyWithItsValueAndBackAgain() {
        Fixture fixture = fixtures.fresh();
        String hubKey = localStack.key("encryption.key");
        assertThat(columns).extracting(EncryptedColumn::column)
                .contains("signing_secret_enc", "webhook_secret_enc", "edi_password_enc");
        String before = storedWebhookSecret(fixture);
        assertThat(new SecretCipher(hubKey).decrypt(before)).isEqualTo(fixture.customerWebhookSecret());

        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        EncryptionKeyRotation toNewKey = new EncryptionKeyRotation(new SecretCipher(NEW_KEY, hubKey), jdbc, columns,
                metrics);
        try {
            assertThat(toNewKey.reencryptAll()).isZero();
            assertThat(metrics.get("hub_secrets_under_previous_key").gauge().value()).isZero();
            String after = storedWebhookSecret(fixture);
            assertThat(after).isNotEqualTo(before);
            assertThat(new SecretCipher(NEW_KEY).decrypt(after)).isEqualTo(fixture.customerWebhookSecret());
            assertThatThrownBy(() -> new SecretCipher(hubKey).decrypt(after)).isInstanceOf(RuntimeException.class);
            // A second node's pass finds nothing left to do.
            assertThat(toNewKey.reencryptAll()).isZero();
            assertThat(storedWebhookSecret(fixture)).isEqualTo(after);
            assertThat(new SecretCipher(NEW_KEY).decrypt(storedSigningSecret(fixture)))
                    .isNotBlank();
        } finally {
            assertThat(new EncryptionKeyRotation(new SecretCipher(hubKey, NEW_KEY), jdbc, columns,
                    new SimpleMeterRegistry()).reencryptAll()).isZero();
        }
        assertThat(new SecretCipher(hubKey).decrypt(storedWebhookSecret(fixture)))
                .isEqualTo(fixture.customerWebhookSecret());
    }

    private String storedWebhookSecret(Fixture fixture) {
        return jdbc.sql("select webhook_secret_enc from customers where id = ?").param(fixture.customerId())
                .query(String.class).single();
    }

    private String storedSigningSecret(Fixture fixture) {
        return jdbc.sql("select signing_secret_enc from partners where id = ?").param(fixture.partnerId())
                .query(String.class).single();
    }
}
