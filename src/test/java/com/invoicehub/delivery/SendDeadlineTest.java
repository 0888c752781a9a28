package com.invoicehub.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.Mailbox;
import com.invoicehub.support.MutableClock;

/**
 * Every send has one overall deadline, whatever its channel (hub.delivery.send-deadline, 8 s in tests): a mail server
 * or an EDI server that accepts and then trickles or says nothing costs its delivery (or approval mail) one deadline
 * and a retryable failure, never a worker for ever, while other customers' deliveries go out meanwhile. A send within
 * its deadline keeps its claim: the heartbeat renews the leases of all sends in flight.
 */
@HubIntegrationTest
class SendDeadlineTest {

    /** The deadline in tests, one second of slack for a channel's own cut, and some for a loaded build machine. */
    private static final Duration WITHIN_DEADLINE = Duration.ofSeconds(12);

    private static final String[] ROWS = {"T-1;emp-1;TUITION;300.00;2026-10-14", "T-2;emp-2;TUTORING;40.00;2026-10-28"};

    private static final WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Mailbox mailbox;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DeliveryOutbox outbox;
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
    void aMailServerThatTricklesCostsAnInvoiceMailAndAnApprovalMailOneDeadlineWhileAWebhookGoesOut()
            throws Exception {
        String hook = "/meanwhile/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(204)));
        Fixture mailed = fixtures.fresh();
        Fixture hooked = fixtures.fresh((id, json) -> json
                .replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + receiver.baseUrl() + hook + "\"")
                .replace("\"email\":true", "\"email\":false"));
        Fixture awaiting = fixtures.fresh((id, json) -> json.replace("\"email\":true", "\"email\":false"));
        long hookedInvoice = issuedInvoice(hooked);
        fixtures.apply(mailed, ROWS);
        fixtures.apply(awaiting, ROWS);
        String smtpRoute = smtpUri();
        Instant firstContact;
        long mailedInvoice;
        try (StalledServer smtp = StalledServer.trickling("220 stalled.example ESMTP\r\n")) {
            pointMailAt(smtpRoute.replaceFirst("^smtp://[^?]+", "smtp://127.0.0.1:" + smtp.port()));
            try {
                // An invoice issued now is mailed to its approver, one approved now to its customer: both to the stall.
                long awaitingInvoice = trigger(awaiting);
                mailedInvoice = trigger(mailed);
                approve(mailedInvoice);
                assertThat(smtp.accepted.await(30, TimeUnit.SECONDS)).isTrue();
                firstContact = Instant.now();

                // Meanwhile another customer's invoice goes out by webhook, well before the mail's deadline.
                approve(hookedInvoice);
                await().atMost(Duration.ofSeconds(6)).until(() -> deliveries(hookedInvoice).get(0).get("status")
                        .asText().equals("SENT"));
                assertThat(deliveries(mailedInvoice).get(0).get("attempts")).isEmpty();

                // The invoice mail: abandoned at the deadline, a failed try to retry, and its lease let go.
                await().atMost(WITHIN_DEADLINE).until(() -> !deliveries(mailedInvoice).get(0).get("attempts")
                        .isEmpty());
                assertThat(Duration.between(firstContact, Instant.now())).isLessThan(WITHIN_DEADLINE);
                JsonNode delivery = deliveries(mailedInvoice).get(0);
                assertThat(delivery.get("channel").asText()).isEqualTo("EMAIL");
                assertThat(delivery.get("attempts").get(0).get("result").asText()).isEqualTo("FAILED");
                assertThat(delivery.get("attempts").get(0).get("error").asText()).isEqualTo("no answer within PT8S");

                // The approval mail the same (the mailer sends one at a time, so it may come second).
                await().atMost(WITHIN_DEADLINE.multipliedBy(2)).until(() -> approvalMail(awaitingInvoice)
                        .get("send_attempts").equals(1));
                Map<String, Object> approval = approvalMail(awaitingInvoice);
                assertThat(approval.get("last_error")).isEqualTo("no answer within PT8S");
                assertThat(approval.get("sent_at")).isNull();
                assertThat(approval.get("lease_owner")).isNull();
            } finally {
                // No new tries while the mail route changes back (they would use up the retries on a closed port).
                camel.getRouteController().stopRoute("deliveries");
                smtp.close(); // before the route changes: a stalled send in it would hold its restart up
                pointMailAt(smtpRoute);
                camel.getRouteController().startRoute("deliveries");
            }
        }
        // The mail server is back: the retry goes out with the same Message-ID, and the invoice is delivered.
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(mailedInvoice).get(0).get("status").asText()
                .equals("SENT"));
        Mailbox.ReadMail mail = mailbox.await("billing@" + mailed.customerId() + ".example",
                m -> m.subject().startsWith("Invoice " + mailedInvoice + " "));
        assertThat(mail.header("Message-ID")).isEqualTo("<" + deliveries(mailedInvoice).get(0).get("messageId")
                .asText() + "@invoice-hub>");
    }

    @Test
    void anEdiServerThatNeverAnswersCostsItsDeliveryOneDeadlineAndARetry() throws Exception {
        try (StalledServer sftp = StalledServer.silent()) {
            Fixture fixture = fixtures.fresh((id, json) -> json.replace("\"email\":true", "\"email\":false")
                    .replace("\"edi\":null", """
                            "edi":{"host":"127.0.0.1","port":%d,"user":"_hub","password":"x","folder":"/in",
                                   "senderId":"INVOICEHUB","receiverId":"RCV"}""".formatted(sftp.port())));
            long invoiceId = issuedInvoice(fixture);
            approve(invoiceId);
            assertThat(sftp.accepted.await(30, TimeUnit.SECONDS)).isTrue();
            Instant firstContact = Instant.now();

            await().atMost(WITHIN_DEADLINE).until(() -> !deliveries(invoiceId).get(0).get("attempts").isEmpty());
            assertThat(Duration.between(firstContact, Instant.now())).isLessThan(WITHIN_DEADLINE);
            JsonNode delivery = deliveries(invoiceId).get(0);
            assertThat(delivery.get("channel").asText()).isEqualTo("EDI");
            assertThat(delivery.get("attempts").get(0).get("result").asText()).isEqualTo("FAILED");
            // Retried (PENDING, or already on its next try), not given up.
            assertThat(delivery.get("status").asText()).isEqualTo("PENDING");
        }
    }

    @Test
    void theLeasesOfSendsInFlightAreRenewedInOneStatementUnderTheClaimTheyWereSentUnder() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/held", exchange -> {
            exchange.getRequestBody().readAllBytes();
            held.incrementAndGet();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        slow.start();
        String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/held";
        camel.getRouteController().stopRoute("deliveries");
        try {
            List<Long> invoices = List.of(issuedInvoice(webhookOnly(url)), issuedInvoice(webhookOnly(url)));
            invoices.forEach(this::approve);
            outbox.sendDue();
            await().atMost(Duration.ofSeconds(5)).until(() -> held.get() == 2);

            Instant later = Instant.now().plus(Duration.ofHours(1));
            clock.set(later);
            outbox.renewLeases();
            clock.reset();
            for (long invoiceId : invoices) {
                Map<String, Object> lease = jdbc.sql("select lease_owner, lease_until from deliveries "
                        + "where invoice_id = :id").param("id", invoiceId).query().singleRow();
                assertThat(lease.get("lease_owner")).isNotNull();
                assertThat(((java.sql.Timestamp) lease.get("lease_until")).toInstant())
                        .isAfter(later.plus(Duration.ofMinutes(1)));
            }
            answer.countDown();
            for (long invoiceId : invoices) {
                await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(invoiceId).get(0).get("status").asText()
                        .equals("SENT"));
            }
        } finally {
            answer.countDown();
            camel.getRouteController().startRoute("deliveries");
            slow.stop(0);
        }
    }

    private Fixture webhookOnly(String url) {
        return fixtures.fresh((id, json) -> json.replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + url + "\"")
                .replace("\"email\":true", "\"email\":false"));
    }

    private String smtpUri() {
        ModelCamelContext model = (ModelCamelContext) camel;
        return ((ToDefinition) model.getRouteDefinition("mail-outbound").getOutputs().get(0)).getUri();
    }

    /** Replaces the SMTP endpoint of the hub's one mail route (AdviceWith by route id); the rest stays as it is. */
    private void pointMailAt(String uri) throws Exception {
        AdviceWith.adviceWith(camel, "mail-outbound", route -> route.weaveByToUri("smtp*").replace().to(uri));
    }

    private long issuedInvoice(Fixture fixture) {
        fixtures.apply(fixture, ROWS);
        return trigger(fixture);
    }

    private long trigger(Fixture fixture) {
        return api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
    }

    private void approve(long invoiceId) {
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null).status()).isEqualTo(200);
    }

    private JsonNode deliveries(long invoiceId) {
        JsonNode items = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/deliveries", null).json().get("items");
        assertThat(items).hasSize(1);
        return items;
    }

    private Map<String, Object> approvalMail(long invoiceId) {
        return jdbc.sql("select send_attempts, last_error, sent_at, lease_owner from approval_tokens "
                + "where invoice_id = :id").param("id", invoiceId).query().singleRow();
    }

    /**
     * A server that accepts connections and never finishes answering: {@code silent} says nothing at all; {@code
     * trickling} greets, reads the client's first line, then sends a reply a byte every 300 ms that never ends (each
     * read gets something, so no per-read timeout ever fires). Closing it drops every connection.
     */
    private static final class StalledServer implements AutoCloseable {

        final CountDownLatch accepted = new CountDownLatch(1);
        private final ServerSocket socket;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final String greeting;
        private volatile boolean open = true;

        static StalledServer silent() throws IOException {
            return new StalledServer(null);
        }

        static StalledServer trickling(String greeting) throws IOException {
            return new StalledServer(greeting);
        }

        private StalledServer(String greeting) throws IOException {
            this.greeting = greeting;
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(this::acceptAll);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptAll() {
            while (open) {
                try {
                    Socket connection = socket.accept();
                    connections.add(connection);
                    accepted.countDown();
                    if (greeting != null) {
                        threads.execute(() -> trickle(connection));
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void trickle(Socket connection) {
            try {
                OutputStream out = connection.getOutputStream();
                out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                out.write("250-".getBytes(StandardCharsets.US_ASCII));
                while (open) {
                    out.write('x');
                    out.flush();
                    LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                }
            } catch (IOException clientWentAway) {
                // the hub gave up on this connection
            }
        }

        @Override
        public void close() throws IOException {
            open = false;
            socket.close();
            for (Socket connection : connections) {
                connection.close();
            }
            threads.shutdownNow();
        }
    }
}
