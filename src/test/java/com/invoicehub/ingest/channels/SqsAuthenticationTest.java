package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SqsMessages;
import com.invoicehub.support.TestData;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * CONTRACT §4: an SQS message is applied only with a valid Standard Webhooks signature of the partner it names; the
 * {@code partnerId} attribute is a claim. Anything else never reaches the ledger: it is counted, and it ends in the
 * dead-letter queue with its reason, so another partner cannot claim an externalId first.
 */
@HubIntegrationTest
class SqsAuthenticationTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    SqsMessages sqsMessages;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry metrics;


    @org.junit.jupiter.api.AfterEach
    void leaveNoDeadLetters() {
        sqsMessages.clearDeadLetters(); // the reconciliation of every later test counts them
    }

    @Test
    void unsignedWronglySignedOrSpoofedMessagesAreNeverAppliedAndTheRealPartnersRowThenIs() {
        Fixture victim = fixtures.fresh();
        Fixture attacker = fixtures.fresh();
        String externalId = "SQS-" + TestData.id("claim");
        String victimSecret = sqsMessages.signingSecret(victim.partnerId());
        String attackerSecret = sqsMessages.signingSecret(attacker.partnerId());
        long now = Instant.now().getEpochSecond();
        double refusedBefore = refused();

        // Unsigned: only the partnerId claim.
        String unsigned = item(victim, externalId, "1.00", "unsigned-" + externalId);
        sqsMessages.sendRaw(unsigned, Map.of("partnerId", SqsMessages.text(victim.partnerId())));
        // Signed with the victim's secret, but over another body.
        String tampered = item(victim, externalId, "2.00", "tampered-" + externalId);
        Map<String, MessageAttributeValue> signedForOther = SqsMessages.signed(victim.partnerId(), victimSecret,
                "msg_t_" + externalId, now, item(victim, externalId, "1250.00", "MATH 101"));
        sqsMessages.sendRaw(tampered, signedForOther);
        // Another partner signs with its own secret and claims to be the victim.
        String spoofed = item(victim, externalId, "3.00", "spoofed-" + externalId);
        sqsMessages.sendRaw(spoofed, SqsMessages.signed(victim.partnerId(), attackerSecret, "msg_s_" + externalId,
                now, spoofed));
        // A partner the hub does not know.
        String unknown = item(victim, externalId, "4.00", "unknown-" + externalId);
        sqsMessages.sendRaw(unknown, SqsMessages.signed("ghost-" + TestData.id("p"), attackerSecret,
                "msg_u_" + externalId, now, unknown));
        // Correctly signed, but 20 minutes ahead.
        String future = item(victim, externalId, "5.00", "future-" + externalId);
        sqsMessages.sendRaw(future, SqsMessages.signed(victim.partnerId(), victimSecret, "msg_f_" + externalId,
                now + 1200, future));
        // Correctly signed, not JSON.
        String malformed = "[{\"externalId\": \"" + externalId + "\", \"amount\": } malformed-" + externalId;
        sqsMessages.sendRaw(malformed, SqsMessages.signed(victim.partnerId(), victimSecret, "msg_m_" + externalId,
                now, malformed));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(reason("unsigned-" + externalId)).isEqualTo("UNSIGNED");
            assertThat(reason("tampered-" + externalId)).isEqualTo("BAD_SIGNATURE");
            assertThat(reason("spoofed-" + externalId)).isEqualTo("BAD_SIGNATURE");
            assertThat(reason("unknown-" + externalId)).isEqualTo("UNKNOWN_PARTNER");
            assertThat(reason("future-" + externalId)).isEqualTo("TIMESTAMP_OUT_OF_RANGE");
            assertThat(reason("malformed-" + externalId)).isEqualTo("MALFORMED_JSON");
        });
        assertThat(refused() - refusedBefore).isGreaterThanOrEqualTo(6);
        // Each is in the dead-letter queue once, as it was sent (its signature can still be checked there).
        Message spoofedLetter = sqsMessages.deadLettersContaining("spoofed-" + externalId).get(0);
        assertThat(spoofedLetter.body()).isEqualTo(spoofed);
        assertThat(spoofedLetter.messageAttributes().get("partnerId").stringValue()).isEqualTo(victim.partnerId());
        assertThat(sqsMessages.deadLettersContaining("spoofed-" + externalId)).hasSize(1);
        assertThat(count("select count(*) from source_files where partner_id in (:p)",
                List.of(victim.partnerId(), attacker.partnerId()))).isZero();

        // The real partner's row with that externalId: APPLIED, not a CONFLICT with anything above.
        sqsMessages.send(victim.partnerId(), item(victim, externalId, "1250.00", "MATH 101"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from attempts where partner_id in (:p)", List.of(victim.partnerId())) == 1);
        assertThat(jdbc.sql("select outcome from attempts where partner_id = :p and external_id = :e")
                .param("p", victim.partnerId()).param("e", externalId).query(String.class).single())
                .isEqualTo("APPLIED");
        assertThat(jdbc.sql("select amount from line_items where partner_id = :p and external_id = :e")
                .param("p", victim.partnerId()).param("e", externalId).query(java.math.BigDecimal.class).single())
                .isEqualByComparingTo("1250.00");
    }

    private String reason(String marker) {
        List<Message> letters = sqsMessages.deadLettersContaining(marker);
        if (letters.isEmpty()) {
            return null;
        }
        MessageAttributeValue reason = letters.get(0).messageAttributes().get("hubReason");
        return reason == null ? "(none)" : reason.stringValue();
    }

    private double refused() {
        return metrics.find("hub.sqs.unprocessable").counters().stream().mapToDouble(Counter::count).sum();
    }

    private int count(String sql, List<String> partners) {
        return jdbc.sql(sql).param("p", partners).query(Integer.class).single();
    }

    static String item(Fixture fixture, String externalId, String amount, String description) {
        return """
                {"externalId":"%s","customerId":"%s","customerUserId":"emp-1","userName":"Ada Lovelace",
                 "expenseType":"TUITION","amount":"%s","currency":"USD","serviceDate":"2026-10-14",
                 "description":"%s"}""".formatted(externalId, fixture.customerId(), amount, description);
    }
}
