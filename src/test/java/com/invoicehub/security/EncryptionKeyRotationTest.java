package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.platform.LocalStackMode;
import com.invoicehub.support.HubIntegrationTest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Rotating the hub key in PostgreSQL. The moves are made on a table of the test's own (the shared context's partners
 * and customers keep being read under the context's key by other tests' deliveries); the modules' real columns are
 * checked to be declared, and a pass over them under the context's own key changes nothing.
 */
@HubIntegrationTest
class EncryptionKeyRotationTest {

    private static final String NEW_KEY = key("0123456789abcdef0123456789abcdef");
    private static final String UNRELATED_KEY = key("an unrelated key nobody has here");

    @Autowired
    JdbcClient jdbc;
    @Autowired
    List<EncryptedColumn> columns;
    @Autowired
    LocalStackMode localStack;

    private final String table = "rotation_probe_" + UUID.randomUUID().toString().replace("-", "");
    private final EncryptedColumn probe = new EncryptedColumn(table, "id", "secret");

    @Test
    void step2MovesWhatIsUnderThePreviousKeyAndNothingElseAndASecondPassFindsNothing() {
        String oldKey = localStack.key("encryption.key");
        probeTable("under-old", new SecretCipher(oldKey).encrypt("whsec_old"),
                "under-new", new SecretCipher(NEW_KEY).encrypt("whsec_new"),
                "unreadable", new SecretCipher(UNRELATED_KEY).encrypt("lost"));
        String alreadyNew = value("under-new");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        EncryptionKeyRotation step2 = new EncryptionKeyRotation(new SecretCipher(NEW_KEY, oldKey, null), jdbc,
                List.of(probe), metrics);

        assertThat(step2.reencryptAll()).as("the unreadable value is counted, never dropped").isEqualTo(1);
        assertThat(new SecretCipher(NEW_KEY).decrypt(value("under-old"))).isEqualTo("whsec_old");
        assertThat(value("under-new")).isEqualTo(alreadyNew);
        assertThat(new SecretCipher(UNRELATED_KEY).decrypt(value("unreadable"))).isEqualTo("lost");
        assertThat(metrics.get("hub_secrets_under_previous_key").gauge().value()).isEqualTo(1);

        String moved = value("under-old");
        assertThat(step2.reencryptAll()).isEqualTo(1);
        assertThat(value("under-old")).as("a second node's pass changes nothing").isEqualTo(moved);
    }

    @Test
    void step1ReadsTheNextKeyAndMovesNothing() {
        String oldKey = localStack.key("encryption.key");
        String underNew = new SecretCipher(NEW_KEY).encrypt("whsec_new");
        String underOld = new SecretCipher(oldKey).encrypt("whsec_old");
        probeTable("under-new", underNew, "under-old", underOld, "none", null);
        SecretCipher step1 = new SecretCipher(oldKey, null, NEW_KEY);
        assertThat(step1.decrypt(underNew)).isEqualTo("whsec_new");

        assertThat(new EncryptionKeyRotation(step1, jdbc, List.of(probe), new SimpleMeterRegistry()).reencryptAll())
                .isZero();
        assertThat(value("under-new")).isEqualTo(underNew);
        assertThat(value("under-old")).isEqualTo(underOld);
    }

    @Test
    void aValueChangedSinceItWasReadIsLeftToWhoeverChangedIt() {
        String oldKey = localStack.key("encryption.key");
        String read = new SecretCipher(oldKey).encrypt("whsec_before_rotation");
        String rotatedMeanwhile = new SecretCipher(NEW_KEY).encrypt("whsec_after_partner_rotation");
        probeTable("partner", rotatedMeanwhile, "other", null, "third", null);
        EncryptionKeyRotation step2 = new EncryptionKeyRotation(new SecretCipher(NEW_KEY, oldKey, null), jdbc,
                List.of(probe), new SimpleMeterRegistry());

        assertThat(step2.move(probe, "partner", read)).isEqualTo(EncryptionKeyRotation.Move.CHANGED_MEANWHILE);
        assertThat(value("partner")).isEqualTo(rotatedMeanwhile);
    }

    @Test
    void theModulesDeclareTheirEncryptedColumnsAndAPassUnderTheHubsOwnKeyChangesNothing() {
        assertThat(columns).extracting(EncryptedColumn::table, EncryptedColumn::column).contains(
                org.assertj.core.groups.Tuple.tuple("partners", "signing_secret_enc"),
                org.assertj.core.groups.Tuple.tuple("customers", "webhook_secret_enc"),
                org.assertj.core.groups.Tuple.tuple("customers", "edi_password_enc"));
        String oldKey = localStack.key("encryption.key");
        List<String> before = jdbc.sql("select signing_secret_enc from partners order by id").query(String.class)
                .list();
        assertThat(new EncryptionKeyRotation(new SecretCipher(oldKey, UNRELATED_KEY, null), jdbc, columns,
                new SimpleMeterRegistry()).reencryptAll()).isZero();
        assertThat(jdbc.sql("select signing_secret_enc from partners order by id").query(String.class).list())
                .isEqualTo(before);
    }

    private void probeTable(String... idsAndValues) {
        jdbc.sql("create table " + table + " (id text primary key, secret text)").update();
        for (int i = 0; i < idsAndValues.length; i += 2) {
            jdbc.sql("insert into " + table + " values (?, ?)").params(idsAndValues[i], idsAndValues[i + 1])
                    .update();
        }
    }

    private String value(String id) {
        return jdbc.sql("select secret from " + table + " where id = ?").param(id).query(String.class).single();
    }

    private static String key(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
