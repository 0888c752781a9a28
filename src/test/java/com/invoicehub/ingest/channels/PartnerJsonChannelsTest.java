package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SqsMessages;
import com.invoicehub.support.TestData;

/**
 * A partner posting its own JSON shape (issue 16), declared as data (mappings/json/lumen-learning.yaml): by webhook and
 * by SQS through the one pipeline, the dry run showing every item first, and mapping files loaded while the hub runs.
 */
@HubIntegrationTest
class PartnerJsonChannelsTest {

    private static final Path SAMPLE = Path.of("mappings/src/test/resources/partner-json/lumen-learning-statement.json");

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    SqsLineItems sqsLineItems;
    @Autowired
    SqsMessages sqsMessages;
    @Autowired
    MappingRegistry mappings;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aPartnersOwnShapeIsReadByWebhookAndSqsAfterItsDryRun() throws Exception {
        Fixture fixture = fixtures.fresh();
        byte[] statement = Files.readString(SAMPLE).replace("\"ACME\"", "\"" + fixture.customerId().toUpperCase()
                + "\"").getBytes(StandardCharsets.UTF_8);

        // Before go-live: the dry run shows every item as the hub would read it.
        JsonNode dryRun = api.send("POST", "/api/v1/mappings/lumen-learning/dry-run", new String(statement,
                StandardCharsets.UTF_8), Api.basic("ops", Api.OPS_PASSWORD)).json();
        assertThat(dryRun.get("rows").asInt()).isEqualTo(7);
        assertThat(dryRun.toString()).contains("\"amount\":\"1250.00\"", "\"serviceDate\":\"2026-10-02\"");

        fixtures.declareWebhook(fixture.partnerId(), "lumen-learning");
        JsonNode credentials = api.asOps("POST", "/api/v1/partners/" + fixture.partnerId() + "/rotate-credentials",
                null).json();
        String id = "msg_" + TestData.id("lumen");
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + environment.getProperty("local.server.port") + "/api/v1/partners/" + fixture.partnerId()
                        + "/line-items"))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StandardWebhooks.sign(credentials.get("signingSecret").asText(), id, now,
                        statement))
                .header("Authorization", "Bearer " + credentials.get("apiKey").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(statement)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, String> outcomes = new LinkedHashMap<>();
        json.readTree(answer.body()).get("items").forEach(item -> outcomes.put(item.get("externalId").asText(),
                item.get("outcome").asText() + (item.hasNonNull("reason") ? " " + item.get("reason").asText() : "")));
        assertThat(outcomes).containsExactly(Map.entry("LL-1001", "APPLIED"), Map.entry("LL-1002", "APPLIED"),
                Map.entry("LL-1003", "APPLIED"), Map.entry("LL-1004", "REJECTED INVALID_AMOUNT"),
                Map.entry("LL-1005", "REJECTED INVALID_DATE"), Map.entry("LL-1006", "REJECTED UNKNOWN_EXPENSE_TYPE"),
                Map.entry("LL-1007", "REJECTED MISSING_FIELD"));
        assertThat(jdbc.sql("""
                        select amount::text || ' ' || currency || ' ' || service_date || ' ' || expense_type
                        from line_items where partner_id = :p and external_id = 'LL-1001'""")
                .param("p", fixture.partnerId()).query(String.class).single())
                .isEqualTo("1250.0000 USD 2026-10-02 TUITION");
        assertThat(jdbc.sql("select mapping from source_files where partner_id = :p").param("p", fixture.partnerId())
                .query(String.class).list()).containsOnly("lumen-learning");

        // The same partner's SQS messages are read with its shape too.
        String message = """
                {"statement":{"charges":[{"chargeId":"LL-2001","employer":{"code":"%s"},
                 "learner":{"employeeNumber":"E-200","fullName":"Frances Allen"},"kind":"fee",
                 "price":{"cents":1999,"currency":"USD"},"deliveredAt":1791172800,"course":{"title":"Exam fee"}}]}}"""
                .formatted(fixture.customerId().toUpperCase());
        MessageIngestion.MessageResult sqs = sqsLineItems.receive("sqs-" + TestData.id("m"), null,
                SqsMessages.signed(fixture.partnerId(), sqsMessages.signingSecret(fixture.partnerId()),
                        "msg_" + TestData.id("sqs"), Instant.now().getEpochSecond(), message), message).result();
        assertThat(sqs.items()).hasSize(1);
        assertThat(sqs.items().get(0).outcome()).isEqualTo("APPLIED");
        assertThat(jdbc.sql("select amount::text || ' ' || expense_type from line_items where partner_id = :p "
                        + "and external_id = 'LL-2001'").param("p", fixture.partnerId()).query(String.class).single())
                .isEqualTo("19.9900 FEES");
    }

    @Test
    void mappingFilesLoadWhileTheHubRunsAndABadOneIsRefusedWithItsReason() throws Exception {
        String name = "hot-" + TestData.id("shape").toLowerCase().replaceAll("[^a-z0-9-]", "-");
        Path good = Path.of("target/test-mappings", name + ".yaml");
        Files.writeString(good, """
                name: %s
                fields:
                  externalId: /id
                  customerId: /customer
                  customerUserId: /employee
                  expenseType: { constant: TUITION }
                  amount: /amount
                  currency: { constant: USD }
                  serviceDate: /date
                """.formatted(name));
        await().atMost(Duration.ofSeconds(30)).until(() -> mappings.find(name).isPresent());

        Path bad = Path.of("target/test-mappings", "broken-" + name + ".yaml");
        Files.writeString(bad, "name: broken-" + name + "\nfields:\n  externalId: /id\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.asOps("GET", "/api/v1/mapping-files", null).body()
                .contains("broken-" + name + ".yaml refused: fields: customerId, customerUserId, expenseType, amount, currency, serviceDate are required"));
        assertThat(mappings.find("broken-" + name)).isEmpty();

        // A partner file may name the loaded shape for its webhook; removed, the shape is gone.
        Fixture fixture = fixtures.fresh();
        fixtures.declareWebhook(fixture.partnerId(), name);
        Files.delete(good);
        Files.delete(bad);
        await().atMost(Duration.ofSeconds(30)).until(() -> mappings.find(name).isEmpty());
    }
}
