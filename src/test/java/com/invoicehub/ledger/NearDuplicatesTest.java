package com.invoicehub.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.MutableClock;
import com.invoicehub.support.TestData;

/**
 * The same charge sent by file and again by webhook under another id (issue 17): flagged, not billed blindly; billed on
 * the next invoice once finance confirms it, never once dismissed (and then explained in the reconciliation).
 */
@HubIntegrationTest
class NearDuplicatesTest {

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    MutableClock clock;
    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theSameChargeByFileAndByWebhookLandsOnceUntilConfirmed() throws Exception {
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        Fixture fixture = fixtures.fresh(); // invoice day 5, New York
        fixtures.apply(fixture, "ND-1;emp-1;TUITION;400.00;2026-10-14", "ND-9;emp-1;TUITION;400.00;2026-10-20");
        JsonNode answer = webhook(fixture, "WH-ND-1", "emp-1", "400.00", "2026-10-14");
        assertThat(answer.get("items").get(0).get("outcome").asText()).isEqualTo("APPLIED");

        JsonNode queue = api.asOps("GET", "/api/v1/review", null).json().get("items");
        JsonNode flagged = only(queue, "WH-ND-1");
        assertThat(flagged.get("state").asText()).isEqualTo("PENDING");
        assertThat(flagged.get("twin").get("externalId").asText()).isEqualTo("ND-1");
        assertThat(flagged.get("twin").get("channel").asText()).isEqualTo("SFTP");
        assertThat(flagged.get("item").get("channel").asText()).isEqualTo("WEBHOOK");
        // Another date is not a twin (the window is 0 days here): ND-9 was never flagged.
        assertThat(queue.toString()).doesNotContain("\"ND-9\"");

        long first = trigger(fixture);
        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + first, null).json();
        assertThat(invoice.get("total").asText()).isEqualTo("800.00");
        assertThat(invoice.get("lines").get(0).get("itemCount").asInt()).isEqualTo(2);

        long itemId = flagged.get("lineItemId").asLong();
        assertThat(api.send("POST", "/api/v1/review/" + itemId + "/confirm", null,
                Api.basic("finance", "test-finance-password")).status()).isEqualTo(200);
        assertThat(api.asOps("POST", "/api/v1/review/" + itemId + "/confirm", null).status())
                .as("decided once").isEqualTo(409);
        clock.set(Instant.parse("2026-12-06T12:00:00Z"));
        long nextId = trigger(fixture);
        JsonNode next = api.asOps("GET", "/api/v1/invoices/" + nextId, null).json();
        assertThat(next.get("total").asText()).isEqualTo("400.00");
        assertThat(next.get("lines").get(0).get("priorPeriod").asBoolean()).isTrue();
        // Explaining the line shows the item's review: flagged, and confirmed by finance.
        JsonNode explained = api.asOps("GET", "/api/v1/invoices/" + nextId + "/lines/1/explain", null).json();
        assertThat(explained.get("items").get(0).get("flags").get(0).get("code").asText())
                .isEqualTo("NEAR_DUPLICATE_CONFIRMED");
        assertThat(explained.get("items").get(0).get("flags").get(0).get("message").asText())
                .contains("ND-1", "SFTP", "confirmed by finance");
        assertThat(api.asOps("GET", "/api/v1/audit?entity=line-item&id=" + itemId, null).body())
                .contains("line-item.flagged-near-duplicate", "line-item.review-confirmed", "\"actor\":\"finance\"");
    }

    @Test
    void aDismissedTwinIsNeverBilledAndTheReconciliationExplainsIt() throws Exception {
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "NX-1;emp-2;MATERIALS;55.25;2026-10-10");
        webhook(fixture, "WH-NX-1", "emp-2", "55.25", "2026-10-10");
        long itemId = only(api.asOps("GET", "/api/v1/review", null).json().get("items"), "WH-NX-1")
                .get("lineItemId").asLong();

        Api.Response noReason = api.asOps("POST", "/api/v1/review/" + itemId + "/dismiss", "{}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("field").asText()).isEqualTo("reason");
        Api.Response tooLong = api.asOps("POST", "/api/v1/review/" + itemId + "/dismiss",
                "{\"reason\":\"" + "x".repeat(2001) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("message").asText()).contains("2000 characters");
        assertThat(api.asOps("POST", "/api/v1/review/" + itemId + "/dismiss",
                "{\"reason\":\"sent by file and webhook\"}").json().get("state").asText()).isEqualTo("DISMISSED");

        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + trigger(fixture), null).json();
        assertThat(invoice.get("total").asText()).isEqualTo("55.25");
        clock.set(Instant.parse("2026-12-06T12:00:00Z"));
        assertThat(api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("created").asBoolean()).as("nothing left to bill").isFalse();

        JsonNode items = api.asOps("GET", "/api/v1/reports/reconciliation?from=2026-11-01&to=2026-12-31", null).json()
                .get("items");
        assertThat(items.get("dismissedAsDuplicates").asLong()).isGreaterThanOrEqualTo(1);
    }

    private static JsonNode only(JsonNode queue, String externalId) {
        for (JsonNode review : queue) {
            if (review.get("item").get("externalId").asText().equals(externalId)) {
                return review;
            }
        }
        throw new AssertionError(externalId + " is not in the review queue: " + queue);
    }

    private long trigger(Fixture fixture) {
        JsonNode run = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json();
        assertThat(run.get("created").asBoolean()).as(run.toString()).isTrue();
        return run.get("invoiceId").asLong();
    }

    private JsonNode webhook(Fixture fixture, String id, String user, String amount, String date) throws Exception {
        fixtures.declareWebhook(fixture.partnerId(), CanonicalJsonMapping.NAME);
        JsonNode credentials = api.asOps("POST", "/api/v1/partners/" + fixture.partnerId() + "/rotate-credentials",
                null).json();
        byte[] body = """
                {"externalId":"%s","customerId":"%s","customerUserId":"%s","userName":"Name %s",
                 "expenseType":"%s","amount":"%s","currency":"USD","serviceDate":"%s","description":"x"}"""
                .formatted(id, fixture.customerId(), user, user, id.startsWith("WH-NX") ? "MATERIALS" : "TUITION",
                        amount, date).getBytes(StandardCharsets.UTF_8);
        String webhookId = "msg_" + TestData.id("nd");
        long now = clock.instant().getEpochSecond(); // the hub checks the timestamp against its own (moved) clock
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + environment.getProperty("local.server.port") + "/api/v1/partners/" + fixture.partnerId()
                        + "/line-items"))
                .header("Content-Type", "application/json").header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StandardWebhooks.sign(credentials.get("signingSecret").asText(),
                        webhookId, now, body))
                .header("Authorization", "Bearer " + credentials.get("apiKey").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }
}
