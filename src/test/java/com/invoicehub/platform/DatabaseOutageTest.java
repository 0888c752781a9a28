package com.invoicehub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.BeanDefinition;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.transaction.CannotCreateTransactionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.platform.localstack.EmbeddedPostgresServer;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SftpSession;

/**
 * The shared context's own PostgreSQL is stopped for a few seconds and started again in place (same port, same data):
 * the hub must name the outage as one to every caller, then come back by itself. This is safe in the shared context
 * because the pool and every poller reconnect on their own (which is part of what is tested); the test waits for the
 * database to be back before it ends, also when it fails.
 */
@HubIntegrationTest
class DatabaseOutageTest {

    private static final Duration QUICK = Duration.ofSeconds(3);

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    PartnerSftpServer sftp;
    @Autowired
    DatabaseAvailability database;
    @Autowired
    Environment environment;
    @Autowired
    CamelContext camel;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    record Partner(String id, String apiKey, String signingSecret, String sftpPassword) {
    }

    @Test
    void anOutageIsAnsweredAsOneAndEverythingComesBackByItself() throws Exception {
        Fixture fixture = fixtures.fresh();
        fixtures.declare(fixture.partnerId(), "webhook");
        Partner partner = credentials(fixture.partnerId());
        Partner neverLoggedIn = credentials(fixtures.fresh().partnerId());
        // A login verified while the database answers is remembered for a while.
        try (SftpSession session = SftpSession.withPassword(sftp.port(), sftp.hostKeyFingerprint(), partner.id(),
                partner.sftpPassword())) {
            assertThat(session.sftp().canonicalPath(".")).isEqualTo("/");
        }

        postgres.stop();
        try {
            long stopped = System.nanoTime();
            await().atMost(QUICK).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.send("GET", "/actuator/health", null, null).status() == 503);
            assertThat(api.send("GET", "/actuator/health", null, null).json().get("status").asText())
                    .isEqualTo("DOWN");
            // Out of the proxy's and Kubernetes' rotation, but alive: an outage of the database restarts nothing.
            assertThat(api.send("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(503);
            assertThat(api.send("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(QUICK);
            // Prometheus still scrapes the node at once: the gauges read from the database are NaN without asking it.
            long scraped = System.nanoTime();
            assertThat(api.metric("hub_database_available")).hasValue(0.0);
            assertThat(api.metric("hub_deliveries_failed").orElseThrow()).isNaN();
            assertThat(Duration.ofNanos(System.nanoTime() - scraped)).isLessThan(QUICK);

            long sent = System.nanoTime();
            HttpResponse<String> webhook = webhook(partner, "msg_outage", item(fixture, "OUTAGE-1"));
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(QUICK);
            assertUnavailable(webhook.statusCode(), webhook.headers().firstValue("Retry-After").orElse(null),
                    webhook.body());

            // Every other API call alike, whoever calls: ops (Basic), a customer (API key looked up in the database).
            for (String authorization : new String[] {Api.basic("ops", Api.OPS_PASSWORD),
                    Api.bearer(fixture.customerApiKey())}) {
                HttpResponse<String> call = get("/api/v1/invoices", authorization);
                assertUnavailable(call.statusCode(), call.headers().firstValue("Retry-After").orElse(null),
                        call.body());
            }

            // SFTP: the remembered login still works; anything the hub cannot check is a temporary failure, never a
            // "wrong password" (and never a login).
            try (SftpSession session = SftpSession.withPassword(sftp.port(), sftp.hostKeyFingerprint(), partner.id(),
                    partner.sftpPassword())) {
                assertThat(session.sftp().canonicalPath(".")).isEqualTo("/");
            }
            assertThat(login(neverLoggedIn.id(), neverLoggedIn.sftpPassword()))
                    .isEqualTo(SshConstants.SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE);
            assertThat(login(partner.id(), partner.sftpPassword() + "-wrong"))
                    .isEqualTo(SshConstants.SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE);
        } finally {
            postgres.start();
        }

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.send("GET", "/actuator/health", null, null).status() == 200);
        assertThat(database.isAvailable()).isTrue();
        assertThat(api.metric("hub_database_available")).hasValue(1.0);
        HttpResponse<String> applied = webhook(partner, "msg_after_outage", item(fixture, "OUTAGE-1"));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(json.readTree(applied.body()).get("items").get(0).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(get("/api/v1/invoices", Api.bearer(fixture.customerApiKey())).statusCode()).isEqualTo(200);
        // With the database back, a wrong password is an ordinary authentication failure again.
        assertThat(login(partner.id(), partner.sftpPassword() + "-wrong")).isEqualTo(WRONG_PASSWORD);
        assertThat(login(neverLoggedIn.id(), neverLoggedIn.sftpPassword())).isEqualTo(LOGGED_IN);
    }

    @Test
    void aDatabaseFailureInsideTheWebhookRouteIsA503WithRetryAfterNotA500() throws Exception {
        Fixture fixture = fixtures.fresh();
        fixtures.declare(fixture.partnerId(), "webhook");
        Partner partner = credentials(fixture.partnerId());
        // The database goes away after the API key was checked, while the webhook is being applied.
        AdviceWith.adviceWith(camel, partner.id() + "-webhook", route -> route.weaveByType(BeanDefinition.class)
                .replace().process(exchange -> {
                    throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                            new SQLException("Connection to localhost refused", "08001"));
                }));

        HttpResponse<String> webhook = webhook(partner, "msg_mid_outage", item(fixture, "MID-OUTAGE-1"));
        assertUnavailable(webhook.statusCode(), webhook.headers().firstValue("Retry-After").orElse(null),
                webhook.body());
        // The lost connection was reported; the next check finds the database answering, so the hub is back at once.
        await().atMost(QUICK).until(database::isAvailable);
    }

    private void assertUnavailable(int status, String retryAfter, String body) throws IOException {
        assertThat(status).as(body).isEqualTo(503);
        assertThat(retryAfter).isEqualTo(Integer.toString(database.retryAfterSeconds()));
        JsonNode error = json.readTree(body);
        assertThat(error.get("error").asText()).isEqualTo("database_unavailable");
        assertThat(error.get("message").asText()).contains("try again");
    }

    private Partner credentials(String partnerId) {
        JsonNode rotated = api.asOps("POST", "/api/v1/partners/" + partnerId + "/rotate-credentials", null).json();
        return new Partner(partnerId, rotated.get("apiKey").asText(), rotated.get("signingSecret").asText(),
                rotated.get("sftpPassword").asText());
    }

    private static final int LOGGED_IN = 0;
    /** What the client reports when the server simply refused the password. */
    private static final int WRONG_PASSWORD = SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE;

    /**
     * A password login: {@link #LOGGED_IN}, or the SSH disconnect reason of the failure: {@link #WRONG_PASSWORD} when the
     * server refused the password, the server's own reason when it ended the session (7: service not available).
     */
    private int login(String user, String password) throws IOException {
        // One client for the whole run, never stopped: a stopped client's I/O thread can throw into an Awaitility poll.
        synchronized (DatabaseOutageTest.class) {
            if (loginClient == null) {
                loginClient = SshClient.setUpDefaultClient();
                String fingerprint = sftp.hostKeyFingerprint();
                loginClient.setServerKeyVerifier((session, address, key) ->
                        KeyUtils.getFingerPrint(key).equals(fingerprint));
                loginClient.start();
            }
        }
        try (ClientSession session = loginClient.connect(user, "localhost", sftp.port())
                .verify(Duration.ofSeconds(10)).getSession()) {
            session.addPasswordIdentity(password);
            try {
                session.auth().verify(Duration.ofSeconds(10));
                return LOGGED_IN;
            } catch (SshException refused) {
                return refused.getDisconnectCode();
            }
        }
    }

    private static SshClient loginClient;

    private String item(Fixture fixture, String externalId) {
        return """
                {"externalId":"%s","customerId":"%s","customerUserId":"emp-1","userName":"Ada Lovelace",
                 "expenseType":"TUITION","amount":"12.50","currency":"USD","serviceDate":"2026-10-14",
                 "description":"MATH 101"}""".formatted(externalId, fixture.customerId());
    }

    private HttpResponse<String> webhook(Partner partner, String id, String item) throws Exception {
        byte[] body = item.getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        return http.send(HttpRequest.newBuilder(uri("/api/v1/partners/" + partner.id() + "/line-items"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Authorization", Api.bearer(partner.apiKey()))
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StandardWebhooks.sign(partner.signingSecret(), id, now, body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().header("Accept", "application/json")
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
    }
}
