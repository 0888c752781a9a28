package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.Api;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SftpSession;
import com.invoicehub.support.SqsMessages;
import com.invoicehub.support.TestData;
import com.invoicehub.shared.StandardWebhooks;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** One line item sent by SFTP, S3, webhook and SQS: APPLIED once, DUPLICATE three times, one line item. */
@HubIntegrationTest
class EveryChannelTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Api api;
    @Autowired
    PartnerSftpServer sftpServer;
    @Autowired
    S3Client s3;
    @Autowired
    SqsMessages sqsMessages;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Environment environment;

    @Test
    void theSameItemByEveryChannelIsAppliedOnce() throws Exception {
        Fixture fixture = fixtures.fresh();
        String partner = fixture.partnerId();
        fixtures.declare(partner, "sftp", "s3", "webhook");
        JsonNode credentials = api.asOps("POST", "/api/v1/partners/" + partner + "/rotate-credentials", null).json();
        String externalId = "X-" + TestData.id("every");
        String csv = "external_id,customer_id,customer_user_id,user_name,expense_type,amount,currency,service_date,"
                + "description\n" + externalId + "," + fixture.customerId() + ",emp-1042,Ada Lovelace,TUITION,1250.00,USD,2026-10-14,"
                + "MATH 101\n";
        String json = """
                {"externalId":"%s","customerId":"%s","customerUserId":"emp-1042","userName":"Ada Lovelace",
                 "expenseType":"TUITION","amount":"1250.00","currency":"USD","serviceDate":"2026-10-14",
                 "description":"MATH 101"}""".formatted(externalId, fixture.customerId());

        // S3 first, then SFTP, webhook, SQS: each a separate receipt.
        String key = partner + "/" + externalId + ".csv";
        s3.putObject(b -> b.bucket("partner-drops").key(key), RequestBody.fromString(csv));
        awaitAttempts(externalId, 1);
        // Moved: the copy under processed/ and the results are written before the original is deleted.
        await().atMost(Duration.ofSeconds(30)).until(() -> exists("partner-drops", partner + "/processed/"
                + externalId + ".csv") && exists("partner-drops", partner + "/outbox/" + externalId
                + ".csv.results.csv") && !exists("partner-drops", key));

        try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(),
                partner, credentials.get("sftpPassword").asText())) {
            try (OutputStream out = session.sftp().write("/inbox/" + externalId + ".csv")) {
                out.write(csv.getBytes(StandardCharsets.UTF_8));
            }
        }
        awaitAttempts(externalId, 2);

        String webhookId = "msg_" + externalId;
        long now = Instant.now().getEpochSecond();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> webhook = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + environment.getProperty("local.server.port") + "/api/v1/partners/"
                                + partner + "/line-items"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + credentials.get("apiKey").asText())
                .header("webhook-id", webhookId).header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StandardWebhooks.sign(credentials.get("signingSecret").asText(),
                        webhookId, now, body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(200);
        assertThat(webhook.body()).contains("\"outcome\":\"DUPLICATE\"");

        sqsMessages.send(partner, json);
        awaitAttempts(externalId, 4);

        List<String> outcomes = jdbc.sql("select a.outcome || ' ' || a.channel from attempts a "
                        + "where a.partner_id = :p and a.external_id = :e order by a.id")
                .param("p", partner).param("e", externalId).query(String.class).list();
        assertThat(outcomes).containsExactly("APPLIED S3", "DUPLICATE SFTP", "DUPLICATE WEBHOOK", "DUPLICATE SQS");
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p and external_id = :e")
                .param("p", partner).param("e", externalId).query(Integer.class).single()).isEqualTo(1);
        // The S3 object was archived like an SFTP file.
        assertThat(jdbc.sql("select archive_key from source_files where channel = 'S3' and name = :n")
                .param("n", externalId + ".csv").query(String.class).single()).startsWith("raw/" + partner + "/");
    }

    private void awaitAttempts(String externalId, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
                        "select count(*) from attempts where external_id = :e").param("e", externalId)
                .query(Integer.class).single() >= count);
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return false;
        }
    }
}
