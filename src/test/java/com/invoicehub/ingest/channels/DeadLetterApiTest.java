package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SqsMessages;
import com.invoicehub.support.TestData;

import software.amazon.awssdk.services.sqs.SqsClient;

/** Ops see the SQS dead-letter queue (why each message is there), count it, and redrive a message. */
@HubIntegrationTest
class DeadLetterApiTest {

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    SqsMessages sqsMessages;
    @Autowired
    SqsClient sqs;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DeadLetters deadLetters;


    @org.junit.jupiter.api.AfterEach
    void leaveNoDeadLetters() {
        sqsMessages.clearDeadLetters(); // the reconciliation of every later test counts them
    }

    @Test
    void opsListDeadLettersWithTheirReasonAndRedriveOneThatIsThenApplied() {
        Fixture fixture = fixtures.fresh();
        String externalId = "DLQ-" + TestData.id("dlq");
        // Refused by the hub: unsigned.
        String unsigned = SqsAuthenticationTest.item(fixture, externalId, "9.00", "unsigned-" + externalId);
        sqsMessages.sendRaw(unsigned, Map.of("partnerId", SqsMessages.text(fixture.partnerId())));
        // Moved by the queue's redrive policy (say, during an incident): correctly signed, never applied.
        String buried = SqsAuthenticationTest.item(fixture, externalId, "1250.00", "buried-" + externalId);
        sqs.sendMessage(b -> b.queueUrl(sqsMessages.deadLetterQueueUrl()).messageBody(buried).messageAttributes(
                SqsMessages.signed(fixture.partnerId(), sqsMessages.signingSecret(fixture.partnerId()),
                        "msg_b_" + externalId, Instant.now().getEpochSecond(), buried)));

        JsonNode[] letters = new JsonNode[2];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Api.Response listed = api.asOps("GET", "/api/v1/ingest/dead-letters?size=500", null);
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            letters[0] = find(listed.json(), externalId, "UNSIGNED");
            letters[1] = find(listed.json(), externalId, DeadLetters.RECEIVE_LIMIT);
            assertThat(letters).doesNotContainNull();
            assertThat(listed.json().get("approximateTotal").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(listed.json().get("next").isNull()).isTrue();
        });
        assertThat(letters[0].get("partnerId").asText()).isEqualTo(fixture.partnerId());
        assertThat(letters[0].get("bodyBytes").asInt()).isEqualTo(unsigned.length());
        assertThat(letters[0].get("deadLetteredAt").isNull()).isFalse();
        assertThat(letters[0].get("originalMessageId").isNull()).isFalse();
        assertThat(letters[1].get("bodyPreview").asText()).endsWith("…").hasSize(201);
        assertThat(letters[1].get("webhookId").asText()).isEqualTo("msg_b_" + externalId);
        assertThat(deadLetters.count()).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.asOps("GET",
                "/actuator/prometheus", null).body()).containsPattern("(?m)^hub_sqs_dead_letters [1-9]"));

        // Ops and finance (CONTRACT §9), nobody without credentials.
        assertThat(api.withAuthorization("GET", "/api/v1/ingest/dead-letters", null,
                Api.basic("finance", "test-finance-password")).status()).isEqualTo(200);
        assertThat(api.withAuthorization("GET", "/api/v1/ingest/dead-letters", null, null).status())
                .isEqualTo(401);

        Api.Response missing = api.asOps("POST", "/api/v1/ingest/dead-letters/no-such-message/redrive", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");

        String id = letters[1].get("id").asText();
        Api.Response redriven = api.asOps("POST", "/api/v1/ingest/dead-letters/" + id + "/redrive", null);
        assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                        "select count(*) from attempts where partner_id = :p and outcome = 'APPLIED'")
                .param("p", fixture.partnerId()).query(Integer.class).single() == 1);
        assertThat(sqsMessages.deadLettersContaining("buried-" + externalId)).isEmpty();
        assertThat(sqsMessages.deadLettersContaining("unsigned-" + externalId)).hasSize(1);
        assertThat(jdbc.sql("select count(*) from audit_events where action = 'sqs.dead-letter.redriven' "
                + "and entity_id = :id").param("id", id).query(Integer.class).single()).isEqualTo(1);

        // The unsigned one must never be applied: discarded, its body kept in the audit log.
        String unsignedId = letters[0].get("id").asText();
        Api.Response discarded = api.asOps("DELETE", "/api/v1/ingest/dead-letters/" + unsignedId, null);
        assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
        assertThat(sqsMessages.deadLettersContaining("unsigned-" + externalId)).isEmpty();
        assertThat(jdbc.sql("select count(*) from audit_events where action = 'sqs.dead-letter.discarded' "
                + "and entity_id = :id and before_state::text like :body").param("id", unsignedId)
                .param("body", "%unsigned-" + externalId + "%").query(Integer.class).single()).isEqualTo(1);
        assertThat(api.asOps("DELETE", "/api/v1/ingest/dead-letters/" + unsignedId, null).status()).isEqualTo(404);
    }

    /** The listed letter of this test (its externalId is in the first 200 characters) with that reason. */
    private static JsonNode find(JsonNode list, String externalId, String reason) {
        for (JsonNode item : list.get("items")) {
            if (item.get("bodyPreview").asText().contains(externalId) && item.get("reason").asText().equals(reason)) {
                return item;
            }
        }
        return null;
    }
}
