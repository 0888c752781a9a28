package com.invoicehub.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.CamelContext;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.Mailbox;
import com.invoicehub.support.MutableClock;

/**
 * Approval delivers by every channel the customer chose, against real receivers: GreenMail read over IMAP, a
 * WireMock webhook receiver that checks nothing itself (the test verifies the signature independently), and the
 * local SFTP server as the EDI mailbox. Retries, FAILED and manual retry, 410, the SSRF matrix, a crash between
 * sending and recording, and customer isolation on every invoice endpoint.
 */
@HubIntegrationTest
class DeliveryTest {

    private static final WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Mailbox mailbox;
    @Autowired
    PartnerSftpServer sftpServer;
    @Autowired
    X12Invoice x12;
    @Autowired
    DeliveryOutbox outbox;
    @Autowired
    InvoiceArtifacts artifacts;
    @Autowired
    WebhookDelivery webhooks;
    @Autowired
    CamelContext camel;
    @Autowired
    MutableClock clock;

    @BeforeAll
    static void startReceiver() {
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void approvalDeliversByEmailWebhookAndEdiAndTheInvoiceBecomesDelivered() throws Exception {
        String hook = "/hooks/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(204)));
        Fixture fixture = fixtures.fresh((id, json) -> json
                .replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + receiver.baseUrl() + hook + "\"")
                .replace("\"edi\":null", """
                        "edi":{"host":"localhost","port":%d,"user":"_hub","password":"test-sftp-hub-password",
                               "folder":"/edi-mailboxes/%s","senderId":"INVOICEHUB","receiverId":"%s"}"""
                        .formatted(sftpServer.port(), id, id.substring(0, Math.min(15, id.length())))));
        Path mailboxFolder = sftpServer.root().resolve("edi-mailboxes").resolve(fixture.customerId());
        Files.createDirectories(mailboxFolder);
        long invoiceId = approvedInvoice(fixture);
        JsonNode invoice = awaitStatus(invoiceId, "DELIVERED");
        String total = invoice.get("total").asText();

        JsonNode deliveries = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/deliveries", null).json()
                .get("items");
        assertThat(deliveries).hasSize(3);
        deliveries.forEach(delivery -> {
            assertThat(delivery.get("status").asText()).isEqualTo("SENT");
            assertThat(delivery.get("attempts")).hasSize(1);
        });

        // Email: both attachments, the CSV's rows add up to the total, the delivery id in a header.
        Mailbox.ReadMail mail = mailbox.await("billing@" + fixture.customerId() + ".example",
                m -> m.subject().startsWith("Invoice " + invoiceId + " "));
        assertThat(mail.text()).contains(total);
        assertThat(mail.html()).contains(total);
        assertThat(mail.attachments()).extracting(Mailbox.Attachment::fileName)
                .containsExactlyInAnyOrder("invoice-" + invoiceId + ".pdf", "invoice-" + invoiceId + ".csv");
        Mailbox.Attachment csv = mail.attachments().stream().filter(a -> a.fileName().endsWith(".csv")).findFirst()
                .orElseThrow();
        BigDecimal csvTotal = BigDecimal.ZERO;
        for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv.content(), StandardCharsets.UTF_8)))) {
            csvTotal = csvTotal.add(new BigDecimal(row.get("amount")));
        }
        assertThat(csvTotal.toPlainString()).isEqualTo(total);
        assertThat(mail.header("X-Invoice-Hub-Delivery-Id")).isEqualTo(messageId(deliveries, "EMAIL"));
        assertThat(mail.header("Message-ID")).isEqualTo("<" + messageId(deliveries, "EMAIL") + "@invoice-hub>");
        Mailbox.Attachment pdf = mail.attachments().stream().filter(a -> a.fileName().endsWith(".pdf")).findFirst()
                .orElseThrow();
        assertThat(pdf.content()).isEqualTo(api.bytesAsOps("/api/v1/invoices/" + invoiceId + "/artifacts/pdf"));

        // Webhook: signed per Standard Webhooks with the customer's secret, verified here from scratch.
        List<LoggedRequest> calls = receiver.findAll(postRequestedFor(urlEqualTo(hook)));
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.get(0);
        assertThat(call.getHeader("webhook-id")).isEqualTo(messageId(deliveries, "WEBHOOK"));
        assertThat(call.getHeader("webhook-signature")).isEqualTo("v1," + independentSignature(
                fixture.customerWebhookSecret(), call.getHeader("webhook-id"), call.getHeader("webhook-timestamp"),
                call.getBody()));
        JsonNode payload = JSON.readTree(call.getBody());
        assertThat(payload.get("type").asText()).isEqualTo("invoice.approved");
        assertThat(payload.get("data").get("id").asLong()).isEqualTo(invoiceId);
        assertThat(payload.get("data").get("total").asText()).isEqualTo(total);
        assertThat(call.getBody()).isEqualTo(api.bytesAsOps("/api/v1/invoices/" + invoiceId + "/artifacts/json"));

        // EDI: the 810 in the customer's mailbox, valid by StAEDI's reading, totals equal to the invoice.
        Path interchange = mailboxFolder.resolve("invoice-" + invoiceId + ".x12");
        assertThat(interchange).exists();
        assertThat(mailboxFolder.resolve("invoice-" + invoiceId + ".x12.part")).doesNotExist();
        byte[] edi = Files.readAllBytes(interchange);
        assertThat(x12.validate(edi)).isEmpty();
        String ediText = new String(edi, StandardCharsets.US_ASCII);
        assertThat(ediText).contains("TDS*" + new BigDecimal(total).movePointRight(2).setScale(0).toPlainString() + "~");
        assertThat(ediText.lines().filter(line -> line.startsWith("IT1*"))).hasSize(invoice.get("lines").size());
        assertThat(ediText).contains("*ZZ*INVOICEHUB     *ZZ*");
        assertThat(edi).isEqualTo(api.bytesAsOps("/api/v1/invoices/" + invoiceId + "/download?format=x12"));

        // Every artifact archived; metrics count the sends.
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/artifacts", null).json().fieldNames())
                .toIterable().containsExactlyInAnyOrder("csv", "json", "pdf", "x12");
        String metrics = api.asOps("GET", "/actuator/prometheus", null).body();
        assertThat(metrics).contains("hub_deliveries_total{channel=\"WEBHOOK\",outcome=\"sent\"}",
                "hub_invoices{status=\"DELIVERED\"}", "hub_approval_mails_unsent");
    }

    @Test
    void aReceiverThatFailsTwiceGetsThreeTriesWithOneWebhookIdAndRetryAfterIsHonoured() {
        String hook = "/flaky/" + System.nanoTime();
        String scenario = "flaky" + hook;
        receiver.stubFor(post(urlEqualTo(hook)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("second"));
        receiver.stubFor(post(urlEqualTo(hook)).inScenario(scenario).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        receiver.stubFor(post(urlEqualTo(hook)).inScenario(scenario).whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200)));
        Fixture fixture = webhookCustomer(hook);
        long invoiceId = approvedInvoice(fixture);
        awaitStatus(invoiceId, "DELIVERED");

        List<LoggedRequest> calls = receiver.findAll(postRequestedFor(urlEqualTo(hook)));
        assertThat(calls).hasSize(3);
        assertThat(calls).extracting(call -> call.getHeader("webhook-id")).containsOnly(calls.get(0)
                .getHeader("webhook-id"));
        JsonNode delivery = onlyDelivery(invoiceId);
        assertThat(delivery.get("status").asText()).isEqualTo("SENT");
        JsonNode attempts = delivery.get("attempts");
        assertThat(attempts).extracting(a -> a.get("result").asText()).containsExactly("FAILED", "FAILED", "SENT");
        assertThat(attempts).extracting(a -> a.get("httpStatus").asInt()).containsExactly(429, 503, 200);
        // The retry schedule here is 0.3 s; the receiver asked for 2 s.
        Duration firstWait = Duration.between(OffsetDateTime.parse(attempts.get(0).get("at").asText()),
                OffsetDateTime.parse(attempts.get(1).get("at").asText()));
        assertThat(firstWait).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedAndAManualRetrySendsItWithTheSameId() {
        String hook = "/down/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(500)));
        Fixture fixture = webhookCustomer(hook);
        long invoiceId = approvedInvoice(fixture);
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyDelivery(invoiceId).get("status").asText()
                .equals("FAILED"));
        JsonNode failed = onlyDelivery(invoiceId);
        assertThat(failed.get("attempts")).hasSize(4); // the first try and 3 retries
        assertThat(failed.get("lastError").asText()).contains("gave up after 4 tries", "HTTP 500");
        assertThat(api.asOps("GET", "/api/v1/deliveries?status=FAILED&size=500", null).json().get("items"))
                .anySatisfy(d -> assertThat(d.get("id").asLong()).isEqualTo(failed.get("id").asLong()));
        assertThat(api.asOps("GET", "/actuator/prometheus", null).body()).contains("hub_deliveries_failed");
        assertThat(api.asOps("GET", "/api/v1/deliveries?channel=FAX", null).json().get("field").asText())
                .isEqualTo("channel");
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText())
                .isEqualTo("APPROVED");

        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200)));
        assertThat(api.asOps("POST", "/api/v1/deliveries/" + failed.get("id").asLong() + "/retry", null).status())
                .isEqualTo(200);
        awaitStatus(invoiceId, "DELIVERED");
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(hook)))).hasSize(5)
                .extracting(call -> call.getHeader("webhook-id")).containsOnly(failed.get("messageId").asText());
        assertThat(api.asOps("POST", "/api/v1/deliveries/" + failed.get("id").asLong() + "/retry", null).status())
                .isEqualTo(409);
    }

    @Test
    void a410DisablesTheCustomersWebhookAndFailsTheDelivery() {
        String hook = "/gone/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(410)));
        Fixture fixture = webhookCustomer(hook);
        long invoiceId = approvedInvoice(fixture);
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyDelivery(invoiceId).get("status").asText()
                .equals("FAILED"));
        assertThat(onlyDelivery(invoiceId).get("attempts")).hasSize(1);
        assertThat(api.asOps("GET", "/api/v1/customers/" + fixture.customerId(), null).json().get("delivery")
                .get("webhookEnabled").asBoolean()).isFalse();
    }

    @Test
    void webhooksToPrivateAddressesAndRedirectsAreRefusedAtConnectTime() throws Exception {
        for (String address : List.of("127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
                "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "224.0.0.1")) {
            assertThat(WebhookAddressGuard.whyRefused(java.net.InetAddress.getByName(address)))
                    .as(address).isNotNull();
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111")) {
            assertThat(WebhookAddressGuard.whyRefused(java.net.InetAddress.getByName(address))).as(address).isNull();
        }
        WebhookAddressGuard allowLocalhostOnly = new WebhookAddressGuard(List.of("127.0.0.1/32"));
        allowLocalhostOnly.check("localhost", java.net.InetAddress.getByName("127.0.0.1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> allowLocalhostOnly.check("x",
                java.net.InetAddress.getByName("127.0.0.2"))).hasMessageContaining("loopback");

        // End to end: a loopback address outside the allow-list (127.0.0.1/32 in tests), and a redirect.
        Fixture loopback = fixtures.fresh((id, json) -> json.replace("\"webhookUrl\":null",
                "\"webhookUrl\":\"http://127.0.0.2:" + receiver.port() + "/hooks/x\"").replace("\"email\":true",
                "\"email\":false"));
        long refused = approvedInvoice(loopback);
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyDelivery(refused).get("status").asText()
                .equals("FAILED"));
        assertThat(onlyDelivery(refused).get("lastError").asText()).contains("refused", "127.0.0.2", "loopback");
        assertThat(onlyDelivery(refused).get("attempts")).hasSize(1);

        String hook = "/redirect/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/")));
        long redirected = approvedInvoice(webhookCustomer(hook));
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyDelivery(redirected).get("status").asText()
                .equals("FAILED"));
        assertThat(onlyDelivery(redirected).get("lastError").asText()).contains("307", "169.254.169.254",
                "not followed");
    }

    @Test
    void plainHttpGoesOnlyToAllowListedNetworks() {
        // A public address over http: refused before any connection (the build machine could not reach it anyway,
        // which would be a retry, not a failure).
        Fixture publicHttp = fixtures.fresh((id, json) -> json.replace("\"webhookUrl\":null",
                "\"webhookUrl\":\"http://93.184.216.34:9/hooks/x\"").replace("\"email\":true", "\"email\":false"));
        long refused = approvedInvoice(publicHttp);
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyDelivery(refused).get("status").asText()
                .equals("FAILED"));
        assertThat(onlyDelivery(refused).get("lastError").asText()).contains("plain http", "93.184.216.34",
                "only over https");
        assertThat(onlyDelivery(refused).get("attempts")).hasSize(1);
        // The receivers of the other tests are plain http on 127.0.0.1, allow-listed in tests, and are delivered to.
    }

    @Test
    void aCrashBetweenSendingAndRecordingResendsWithTheSameIdAndRecordsOneDelivery() throws Exception {
        String hook = "/crash/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200)));
        Fixture fixture = webhookCustomer(hook);
        camel.getRouteController().stopRoute("deliveries");
        try {
            long invoiceId = approvedInvoice(fixture);
            DeliveryChannel.PendingDelivery claimed = outbox.claim(100).stream()
                    .filter(d -> d.invoiceId() == invoiceId).findFirst().orElseThrow();
            assertThat(webhooks.send(claimed)).isInstanceOf(SendResult.Sent.class);
            // ...and the node dies here: nothing recorded. Its lease (2 minutes) runs out; another node takes over.
            assertThat(outbox.claim(100)).noneMatch(d -> d.invoiceId() == invoiceId);
            clock.set(Instant.now().plus(Duration.ofMinutes(3)));
            outbox.sendDue();
            clock.reset();
            // The send runs on a worker: wait until it is recorded.
            await().atMost(Duration.ofSeconds(10)).until(() -> onlyDelivery(invoiceId).get("status").asText()
                    .equals("SENT"));

            List<LoggedRequest> calls = receiver.findAll(postRequestedFor(urlEqualTo(hook)));
            assertThat(calls).hasSize(2);
            assertThat(calls.get(1).getHeader("webhook-id")).isEqualTo(calls.get(0).getHeader("webhook-id"));
            JsonNode delivery = onlyDelivery(invoiceId);
            assertThat(delivery.get("status").asText()).isEqualTo("SENT");
            assertThat(delivery.get("attempts")).hasSize(1);
            assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText())
                    .isEqualTo("DELIVERED");
        } finally {
            camel.getRouteController().startRoute("deliveries");
        }
    }

    @Test
    void aReceiverThatTricklesItsBodyHoldsNoOtherDeliveryAndItsOwn200CountsAsSent() throws Exception {
        try (TricklingReceiver slow = new TricklingReceiver(200)) {
            Fixture slowCustomer = fixtures.fresh((id, json) -> json
                    .replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + slow.url() + "\"")
                    .replace("\"email\":true", "\"email\":false"));
            long slowInvoice = approvedInvoice(slowCustomer);
            assertThat(slow.requested.await(30, TimeUnit.SECONDS)).isTrue();
            Instant requestedAt = Instant.now();

            // Meanwhile another customer's invoice goes out by email within seconds, while the body still trickles.
            Fixture other = fixtures.fresh();
            long otherInvoice = approvedInvoice(other);
            await().atMost(Duration.ofSeconds(10)).until(() -> onlyDelivery(otherInvoice).get("status").asText()
                    .equals("SENT"));
            assertThat(mailbox.await("billing@" + other.customerId() + ".example",
                    m -> m.subject().startsWith("Invoice " + otherInvoice + " "))).isNotNull();

            // The slow receiver answered 200: that is a success, recorded within the send deadline (8 s in tests).
            await().atMost(Duration.ofSeconds(10)).until(() -> onlyDelivery(slowInvoice).get("status").asText()
                    .equals("SENT"));
            assertThat(Duration.between(requestedAt, Instant.now())).isLessThan(Duration.ofSeconds(9));
            JsonNode delivery = onlyDelivery(slowInvoice);
            assertThat(delivery.get("attempts")).hasSize(1);
            assertThat(delivery.get("attempts").get(0).get("httpStatus").asInt()).isEqualTo(200);
            assertThat(slow.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void aRefusalWhoseBodyNeverEndsIsCutAtTheSendDeadline() throws Exception {
        try (TricklingReceiver slow = new TricklingReceiver(400)) {
            Fixture slowCustomer = fixtures.fresh((id, json) -> json
                    .replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + slow.url() + "\"")
                    .replace("\"email\":true", "\"email\":false"));
            long slowInvoice = approvedInvoice(slowCustomer);
            assertThat(slow.requested.await(30, TimeUnit.SECONDS)).isTrue();
            Instant requestedAt = Instant.now();
            // Only a prefix of a refusal's body is read for its reason, and never past the deadline (8 s in tests).
            await().atMost(Duration.ofSeconds(12)).until(() -> onlyDelivery(slowInvoice).get("status").asText()
                    .equals("FAILED"));
            assertThat(Duration.between(requestedAt, Instant.now())).isLessThan(Duration.ofSeconds(11));
            assertThat(onlyDelivery(slowInvoice).get("lastError").asText()).contains("HTTP 400");
        }
    }

    /**
     * A webhook receiver that answers {@code status} with a Content-Length of a gigabyte and then trickles the body,
     * a byte every 100 ms (well within the per-read timeout), until it is closed.
     */
    private static final class TricklingReceiver implements AutoCloseable {

        final CountDownLatch requested = new CountDownLatch(1);
        final AtomicInteger requests = new AtomicInteger();
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private volatile boolean open = true;

        TricklingReceiver(int status) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/slow", exchange -> {
                exchange.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                exchange.sendResponseHeaders(status, 1_000_000_000L);
                requested.countDown();
                try (OutputStream body = exchange.getResponseBody()) {
                    while (open) {
                        body.write('x');
                        body.flush();
                        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                    }
                } catch (IOException clientWentAway) {
                    // the hub stopped reading: what a well-behaved sender does
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";
        }

        @Override
        public void close() {
            open = false;
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void aCustomerPullsItsOwnInvoiceByApiAndNobodyElsesOnAnyEndpoint() {
        Fixture pulling = fixtures.fresh((id, json) -> json.replace("\"email\":true", "\"email\":false"));
        Fixture other = fixtures.fresh();
        long invoiceId = approvedInvoice(pulling);
        JsonNode api1 = onlyDelivery(invoiceId);
        assertThat(api1.get("channel").asText()).isEqualTo("API");
        assertThat(api1.get("status").asText()).isEqualTo("PENDING");

        String stranger = Api.bearer(other.customerApiKey());
        String base = "/api/v1/invoices/" + invoiceId;
        for (String[] call : List.of(new String[] {"GET", base}, new String[] {"GET", base + "/download?format=csv"},
                new String[] {"GET", base + "/download?format=pdf"}, new String[] {"GET", base + "/download?format=json"},
                new String[] {"GET", base + "/download?format=x12"}, new String[] {"GET", base + "/deliveries"},
                new String[] {"GET", base + "/artifacts"}, new String[] {"GET", base + "/artifacts/json"},
                new String[] {"GET", base + "/approval-requests"},
                new String[] {"POST", base + "/approve"}, new String[] {"POST", base + "/deny"})) {
            Api.Response response = api.withAuthorization(call[0], call[1], "{\"reason\":\"x\"}", stranger);
            assertThat(response.status()).as(call[0] + " " + call[1]).isEqualTo(404);
        }
        assertThat(api.withAuthorization("GET", "/api/v1/invoices?customerId=" + pulling.customerId(), null, stranger)
                .json().get("items")).isEmpty();
        assertThat(api.withAuthorization("GET", "/api/v1/deliveries", null, stranger).status()).isEqualTo(403);
        assertThat(onlyDelivery(invoiceId).get("status").asText()).isEqualTo("PENDING");

        JsonNode own = api.withAuthorization("GET", base, null, Api.bearer(pulling.customerApiKey())).json();
        assertThat(own.get("id").asLong()).isEqualTo(invoiceId);
        assertThat(onlyDelivery(invoiceId).get("status").asText()).isEqualTo("SENT");
        awaitStatus(invoiceId, "DELIVERED");
    }

    @Test
    void x12ControlNumbersIncreasePerCustomerAndEachArtifactIsMadeOnce() {
        Fixture fixture = fixtures.fresh((id, json) -> json.replace("\"edi\":null", """
                "edi":{"host":"localhost","port":22,"user":"x","password":"x","folder":"/in",
                       "senderId":"INVOICEHUB","receiverId":"RCV"}"""));
        fixtures.apply(fixture, "X-1;emp-1;TUITION;10.00;2026-10-14", "X-2;emp-2;FEES;5.00;2026-10-15");
        long first = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        api.asOps("POST", "/api/v1/invoices/" + first + "/deny", "{\"reason\":\"check\"}");
        long second = api.asOps("POST", "/api/v1/invoices/" + first + "/reissue", null).json().get("id").asLong();

        byte[] firstX12 = artifacts.get(first, InvoiceArtifacts.Format.X12).content();
        byte[] secondX12 = artifacts.get(second, InvoiceArtifacts.Format.X12).content();
        assertThat(isa13(secondX12)).isEqualTo(isa13(firstX12) + 1);
        assertThat(artifacts.get(first, InvoiceArtifacts.Format.X12).content()).isEqualTo(firstX12);
        assertThat(x12.validate(secondX12)).isEmpty();
        assertThat(api.asOps("GET", "/api/v1/invoices/" + second + "/download?format=x12", null).status())
                .isEqualTo(409); // not approved: no 810 leaves the hub for it
    }

    private static long isa13(byte[] interchange) {
        return Long.parseLong(new String(interchange, StandardCharsets.US_ASCII).split("\\*")[13]);
    }

    private Fixture webhookCustomer(String hook) {
        return fixtures.fresh((id, json) -> json
                .replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + receiver.baseUrl() + hook + "\"")
                .replace("\"email\":true", "\"email\":false"));
    }

    private long approvedInvoice(Fixture fixture) {
        fixtures.apply(fixture, "D-1;emp-1;TUITION;1250.00;2026-10-14", "D-2;emp-1;MATERIALS;-50.25;2026-10-20",
                "D-3;emp-2;TUTORING;40.00;2026-10-28");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null).status()).isEqualTo(200);
        return invoiceId;
    }

    private JsonNode awaitStatus(long invoiceId, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.asOps("GET", "/api/v1/invoices/" + invoiceId, null)
                .json().get("status").asText().equals(status));
        return api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json();
    }

    private JsonNode onlyDelivery(long invoiceId) {
        JsonNode items = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/deliveries", null).json().get("items");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static String messageId(JsonNode deliveries, String channel) {
        for (JsonNode delivery : deliveries) {
            if (delivery.get("channel").asText().equals(channel)) {
                return delivery.get("messageId").asText();
            }
        }
        throw new AssertionError("no " + channel + " delivery in " + deliveries);
    }

    /** Standard Webhooks, from its spec: HMAC-SHA256 over "id.timestamp.body" with the base64 part of whsec_…. */
    private static String independentSignature(String secret, String id, String timestamp, byte[] body)
            throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
