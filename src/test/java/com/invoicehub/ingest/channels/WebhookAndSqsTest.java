package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SampleMasterData;
import com.invoicehub.support.SqsMessages;
import com.invoicehub.support.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Partners' webhooks signed per Standard Webhooks, and SQS messages, through the one pipeline. */
@HubIntegrationTest
class WebhookAndSqsTest {

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    SqsClient sqs;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Environment environment;
    @Autowired
    SqsLineItems sqsLineItems;
    @Autowired
    SqsMessages sqsMessages;
    @Autowired
    com.invoicehub.ingest.pipeline.SourceFiles sourceFiles;

    private final HttpClient http = HttpClient.newHttpClient();

    record Partner(String id, String apiKey, String secret) {
    }

    Partner partner(Fixture fixture) {
        fixtures.declare(fixture.partnerId(), "webhook");
        JsonNode rotated = api.asOps("POST", "/api/v1/partners/" + fixture.partnerId() + "/rotate-credentials", null)
                .json();
        return new Partner(fixture.partnerId(), rotated.get("apiKey").asText(), rotated.get("signingSecret").asText());
    }

    @Test
    void theSampleBatchAppliesFullyByWebhookAndAReplayedIdIsAnsweredAsTheFirstTime() throws Exception {
        Fixture fixture = fixtures.fresh();
        Partner partner = partner(fixture);
        byte[] body = sampleBatchFor(fixture);

        String id = "msg_" + TestData.id("batch");
        HttpResponse<String> first = post(partner.id(), partner.apiKey(), partner.secret(), id,
                Instant.now().getEpochSecond(), body);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(first.body());
        assertThat(answer.get("items")).hasSize(25);
        answer.get("items").forEach(item -> assertThat(item.get("outcome").asText()).isEqualTo("APPLIED"));
        assertThat(answer.get("items").get(0).get("externalId").asText()).isEqualTo("WH-202610-000001");
        int attempts = attempts(partner.id());

        HttpResponse<String> replayed = post(partner.id(), partner.apiKey(), partner.secret(), id,
                Instant.now().getEpochSecond(), body);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(replayed.body())).isEqualTo(answer);
        assertThat(attempts(partner.id())).isEqualTo(attempts);

        // The same items under a new id are a new receipt: DUPLICATE, not a second line item.
        HttpResponse<String> again = post(partner.id(), partner.apiKey(), partner.secret(), "msg_" + TestData.id("b"),
                Instant.now().getEpochSecond(), body);
        new ObjectMapper().readTree(again.body()).get("items")
                .forEach(item -> assertThat(item.get("outcome").asText()).isEqualTo("DUPLICATE"));
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p").param("p", partner.id())
                .query(Integer.class).single()).isEqualTo(25);
    }

    @Test
    void badSignaturesTimestampsAndKeysAreRefusedAndStoreNothing() throws Exception {
        Fixture fixture = fixtures.fresh();
        Partner partner = partner(fixture);
        Partner other = partner(fixtures.fresh());
        byte[] body = item(fixture, "SIG-1").getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        byte[] flipped = body.clone();
        flipped[10] ^= 1;
        String signature = StandardWebhooks.sign(partner.secret(), "msg_1", now, body);
        assertThat(send(partner.id(), partner.apiKey(), "msg_1", now, signature, flipped).statusCode()).isEqualTo(401);
        assertThat(post(partner.id(), partner.apiKey(), partner.secret(), "msg_2", now - 301, body).statusCode())
                .isEqualTo(401);
        // A minute beyond the 5-minute tolerance: "now" ages while the requests before this one run.
        assertThat(post(partner.id(), partner.apiKey(), partner.secret(), "msg_3", now + 360, body).statusCode())
                .isEqualTo(401);
        assertThat(post(partner.id(), partner.apiKey(), other.secret(), "msg_4", now, body).statusCode())
                .isEqualTo(401);
        assertThat(post(partner.id(), partner.apiKey() + "x", partner.secret(), "msg_5", now, body).statusCode())
                .isEqualTo(401);
        assertThat(post(partner.id(), null, partner.secret(), "msg_6", now, body).statusCode()).isEqualTo(401);
        assertThat(post(partner.id(), other.apiKey(), partner.secret(), "msg_7", now, body).statusCode())
                .isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from source_files where partner_id = :p").param("p", partner.id())
                .query(Integer.class).single()).isZero();

        // Secret rotation: the sender signs with the old and the new secret; one valid signature is enough.
        String rotated = StandardWebhooks.sign(other.secret(), "msg_8", now, body) + " "
                + StandardWebhooks.sign(partner.secret(), "msg_8", now, body);
        assertThat(send(partner.id(), partner.apiKey(), "msg_8", now, rotated, body).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedJsonIsA400WithThePositionAndOversizedBodiesA413() throws Exception {
        Fixture fixture = fixtures.fresh();
        Partner partner = partner(fixture);
        long now = Instant.now().getEpochSecond();
        byte[] malformed = "[{\"externalId\": \"X\",\n  \"amount\": }]".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> bad = post(partner.id(), partner.apiKey(), partner.secret(), "msg_m", now, malformed);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("malformed_json").contains("line 2");

        byte[] big = new byte[5 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(post(partner.id(), partner.apiKey(), partner.secret(), "msg_big", now, big).statusCode())
                .isEqualTo(413);
    }

    @Test
    void theSampleBatchAppliesFullyBySqsAndARedeliveryChangesNothing() throws Exception {
        Fixture fixture = fixtures.fresh();
        String queueUrl = environment.getProperty("hub.sqs.queue-url");
        JsonNode items = new ObjectMapper().readTree(sampleBatchFor(fixture));
        for (JsonNode item : items) {
            sqsMessages.send(fixture.partnerId(), item.toString());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
                        "select count(*) from attempts where partner_id = :p and outcome = 'APPLIED'")
                .param("p", fixture.partnerId()).query(Integer.class).single() == 25);
        assertThat(jdbc.sql("select count(distinct channel) from attempts where partner_id = :p")
                .param("p", fixture.partnerId()).query(Integer.class).single()).isEqualTo(1);
        // Delivered messages are deleted once their outcome is committed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sqs.getQueueAttributes(b -> b
                .queueUrl(queueUrl).attributeNamesWithStrings("ApproximateNumberOfMessages",
                        "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings().values())
                .allMatch("0"::equals));
    }

    @Test
    void aMessageRedeliveredAfterACrashBeforeItsDeleteChangesNothing() throws Exception {
        Fixture fixture = fixtures.fresh();
        String body = item(fixture, "REDELIVER-1");
        Map<String, MessageAttributeValue> attributes = SqsMessages.signed(fixture.partnerId(),
                sqsMessages.signingSecret(fixture.partnerId()), "msg_" + TestData.id("redeliver"),
                Instant.now().getEpochSecond(), body);
        // The first delivery commits its outcome and the node dies before deleting the message; SQS delivers the
        // same message (same id) again, or ops redrive a copy of it (a new SQS id): the signed webhook-id is the
        // receipt key, so either is the same receipt.
        MessageIngestion.MessageResult first = sqsLineItems.receive("sqs-id-1", null, attributes, body).result();
        MessageIngestion.MessageResult again = sqsLineItems.receive("sqs-id-1", null, attributes, body).result();
        MessageIngestion.MessageResult redriven = sqsLineItems.receive("sqs-id-2", null, attributes, body).result();
        assertThat(again.fileId()).isEqualTo(first.fileId());
        assertThat(redriven.fileId()).isEqualTo(first.fileId());
        assertThat(redriven.items()).isEqualTo(first.items());
        assertThat(again.items()).isEqualTo(first.items());
        assertThat(first.items().get(0).outcome()).isEqualTo("APPLIED");
        assertThat(attempts(fixture.partnerId())).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p").param("p", fixture.partnerId())
                .query(Integer.class).single()).isEqualTo(1);
    }

    private byte[] sampleBatchFor(Fixture fixture) throws Exception {
        String batch = new String(SampleMasterData.bytes("webhook-batch-2026-10.json"), StandardCharsets.UTF_8);
        // The sample's customers, pointed at this test's own USD customer so nothing collides with other tests.
        return batch.replaceAll("\"customerId\": \"[a-z]+\"", "\"customerId\": \"" + fixture.customerId() + "\"")
                .replaceAll("\"currency\": \"[A-Z]+\"", "\"currency\": \"USD\"").getBytes(StandardCharsets.UTF_8);
    }

    private String item(Fixture fixture, String externalId) {
        return """
                {"externalId":"%s","customerId":"%s","customerUserId":"emp-1","userName":"Ada Lovelace",
                 "expenseType":"TUITION","amount":"1250.00","currency":"USD","serviceDate":"2026-10-14",
                 "description":"MATH 101"}""".formatted(externalId, fixture.customerId());
    }

    @Test
    void aCallWhoseReceiptADeadNodeHoldsIsToldWhenToComeBackAndThenApplied() throws Exception {
        Fixture fixture = fixtures.fresh();
        Partner partner = partner(fixture);
        byte[] body = ("[{\"externalId\":\"BUSY-1\",\"customerId\":\"" + fixture.customerId()
                + "\",\"customerUserId\":\"emp-1\",\"expenseType\":\"TUITION\",\"amount\":\"10.00\","
                + "\"currency\":\"USD\",\"serviceDate\":\"2026-10-14\"}]").getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + TestData.id("busy");
        // A node received this call, took its receipt and died (its lease, 4 s, is not renewed by anyone).
        java.nio.file.Path copy = java.nio.file.Files.write(java.nio.file.Files.createTempFile("busy-", ".json"), body);
        long receipt = sourceFiles.record(new com.invoicehub.ingest.IncomingFile(partner.id(),
                com.invoicehub.ingest.Channel.WEBHOOK, "canonical-json", "webhook-" + id + ".json", id, copy),
                body.length, "0".repeat(64)).id();
        assertThat(sourceFiles.claim(receipt, "dead-node/run-1", java.time.Duration.ofSeconds(4))).isTrue();

        HttpResponse<String> busy = post(partner.id(), partner.apiKey(), partner.secret(), id,
                Instant.now().getEpochSecond(), body);
        assertThat(busy.statusCode()).isEqualTo(409);
        long retryAfter = Long.parseLong(busy.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 5L);

        HttpResponse<String> later = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofSeconds(retryAfter))
                .until(() -> post(partner.id(), partner.apiKey(), partner.secret(), id,
                        Instant.now().getEpochSecond(), body), response -> response.statusCode() == 200);
        assertThat(later.headers().firstValue("Retry-After")).isEmpty();
        assertThat(later.body()).contains("\"outcome\":\"APPLIED\"");
    }

    private int attempts(String partnerId) {
        return jdbc.sql("select count(*) from attempts where partner_id = :p").param("p", partnerId)
                .query(Integer.class).single();
    }

    HttpResponse<String> post(String partnerId, String apiKey, String secret, String id, long timestamp, byte[] body)
            throws Exception {
        return send(partnerId, apiKey, id, timestamp, StandardWebhooks.sign(secret, id, timestamp, body), body);
    }

    HttpResponse<String> send(String partnerId, String apiKey, String id, long timestamp, String signature,
                              byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:"
                        + environment.getProperty("local.server.port") + "/api/v1/partners/" + partnerId + "/line-items"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
