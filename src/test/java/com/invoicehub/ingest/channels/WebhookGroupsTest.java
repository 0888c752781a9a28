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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.invoicehub.ingest.pipeline.RawArchive;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Webhook calls arriving together are written as one receipt (issue 13), and still each gets its own answer, its
 * webhook-id's idempotency, its records and exactly one line item per item.
 */
@HubIntegrationTest
class WebhookGroupsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    Environment environment;
    @Autowired
    WebhookGroups groups;
    @Autowired
    RawArchive archive;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void callsArrivingTogetherShareAReceiptAndEachIsAnsweredWithItsOwnItems() throws Exception {
        Fixture fixture = fixtures.fresh();
        fixtures.declare(fixture.partnerId(), "webhook");
        JsonNode credentials = api.asOps("POST", "/api/v1/partners/" + fixture.partnerId()
                + "/rotate-credentials", null).json();
        String apiKey = credentials.get("apiKey").asText();
        String secret = credentials.get("signingSecret").asText();

        // The customer's row held: every group of this partner waits at its currency check (FOR SHARE), so the
        // calls sent meanwhile queue up behind the group writers, as they do under load.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> transaction.executeWithoutResult(status -> {
            jdbc.sql("select id from customers where id = :c for update").param("c", fixture.customerId())
                    .query(String.class).single();
            held.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

        int distinct = 40;
        int repeats = 4;
        String repeatedId = "msg_" + TestData.id("repeat");
        ExecutorService senders = Executors.newFixedThreadPool(distinct + repeats);
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        try {
            for (int i = 1; i <= distinct; i++) {
                String externalId = fixture.partnerId() + "-G" + i;
                String id = "msg_" + externalId;
                sent.add(senders.submit(() -> post(fixture, apiKey, secret, id, item(fixture, externalId))));
            }
            for (int i = 0; i < repeats; i++) {
                sent.add(senders.submit(() -> post(fixture, apiKey, secret, repeatedId,
                        item(fixture, fixture.partnerId() + "-R"))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> groups.callsInFlight() == distinct + repeats);
            release.countDown();

            Set<Long> receipts = new HashSet<>();
            List<JsonNode> repeatedAnswers = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                HttpResponse<String> response = sent.get(i).get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(response.body());
                receipts.add(answer.get("fileId").asLong());
                String expected = i < distinct ? fixture.partnerId() + "-G" + (i + 1) : fixture.partnerId() + "-R";
                assertThat(answer.get("items")).hasSize(1);
                assertThat(answer.get("items").get(0).get("externalId").asText()).isEqualTo(expected);
                if (i < distinct) {
                    assertThat(answer.get("items").get(0).get("outcome").asText()).isEqualTo("APPLIED");
                } else {
                    repeatedAnswers.add(answer);
                }
            }
            // A repeated webhook-id: one call written, the others answered as it was.
            assertThat(repeatedAnswers).allMatch(answer -> answer.equals(repeatedAnswers.get(0)));
            assertThat(repeatedAnswers.get(0).get("items").get(0).get("outcome").asText()).isEqualTo("APPLIED");
            // Fewer receipts than calls: the calls that waited were written together.
            assertThat(receipts.size()).isLessThan(distinct / 2);
        } finally {
            release.countDown();
            senders.shutdownNow();
            holder.join(60_000);
        }

        assertThat(count("select count(*) from line_items where partner_id = :p", fixture)).isEqualTo(distinct + 1);
        assertThat(count("select count(*) from source_records where partner_id = :p", fixture))
                .isEqualTo(distinct + 1);
        // Each call's claim names its rows in its receipt, and those rows are its items.
        assertThat(count("""
                select count(*) from webhook_receipts w
                join source_records r on r.source_file_id = w.source_file_id
                                     and r.row_number between w.first_row and w.first_row + w.row_count - 1
                where w.partner_id = :p and r.external_id = substring(w.webhook_id from 5)""", fixture))
                .isEqualTo(distinct);
        // Every receipt is DONE with all its rows and its archive copy: a JSON line per call, its body as sent.
        List<Map<String, Object>> files = jdbc.sql("""
                        select f.id, f.status, f.rows_total, f.rows_done, f.archive_key, f.size_bytes,
                               (select count(*) from webhook_receipts w where w.source_file_id = f.id) as calls
                        from source_files f where f.partner_id = :p""")
                .param("p", fixture.partnerId()).query().listOfRows();
        assertThat(files).hasSizeLessThan(distinct / 2);
        for (Map<String, Object> file : files) {
            assertThat(file.get("status")).isEqualTo("DONE");
            assertThat(file.get("rows_done")).isEqualTo(file.get("rows_total"));
            Path copy = Files.createTempDirectory("group-").resolve("copy.jsonl"); // the download creates it
            try {
                archive.fetch((String) file.get("archive_key"), copy);
                List<String> lines = Files.readAllLines(copy, StandardCharsets.UTF_8);
                assertThat((long) lines.size()).isEqualTo(((Number) file.get("calls")).longValue());
                assertThat(Files.size(copy)).isEqualTo(((Number) file.get("size_bytes")).longValue());
                for (String line : lines) {
                    JsonNode call = JSON.readTree(line);
                    String webhookId = call.get("webhookId").asText();
                    assertThat(call.get("body").asText()).isEqualTo(new String(item(fixture,
                            webhookId.equals(repeatedId) ? fixture.partnerId() + "-R" : webhookId.substring(4)),
                            StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(copy);
                Files.deleteIfExists(copy.getParent());
            }
        }
    }

    private long count(String sql, Fixture fixture) {
        return jdbc.sql(sql).param("p", fixture.partnerId()).query(Long.class).single();
    }

    private HttpResponse<String> post(Fixture fixture, String apiKey, String secret, String id, byte[] body)
            throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + environment.getProperty("local.server.port") + "/api/v1/partners/" + fixture.partnerId()
                        + "/line-items"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", StandardWebhooks.sign(secret, id, timestamp, body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] item(Fixture fixture, String externalId) {
        return """
                {"externalId":"%s","customerId":"%s","customerUserId":"emp-1","userName":"Ada Lovelace",
                 "expenseType":"TUITION","amount":"12.50","currency":"USD","serviceDate":"2026-10-14",
                 "description":"MATH 101"}""".formatted(externalId, fixture.customerId())
                .getBytes(StandardCharsets.UTF_8);
    }
}
