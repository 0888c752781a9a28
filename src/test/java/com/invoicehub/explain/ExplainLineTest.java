package com.invoicehub.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.MutableClock;
import com.invoicehub.support.TestData;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 17, "explain this line": a line built from a record first REJECTED (its customer unknown) and applied by a
 * replay once the customer exists, beside an item applied at its receipt, explained by API and on the console from
 * the partner's row to the amount on the invoice; a customer's key sees only its own invoices' lines.
 */
@HubIntegrationTest
class ExplainLineTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void aLineBuiltFromAReplayedRecordIsExplainedFromThePartnersRowToTheInvoice() throws Exception {
        Fixture fixture = fixtures.fresh(); // its partner sends; its customer is "another customer" below
        String customer = TestData.id("later");
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        List<String> rows = new ArrayList<>(fixtures.rows(fixture, 2));
        rows.add(String.join(",", "LATE-1", customer, "emp-1", "Ada Lovelace", "TUITION", "1250.00", "USD",
                "2026-10-14", "MATH 101"));
        IngestResult first = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));
        assertThat(first.counts().get(Outcome.REJECTED)).isEqualTo(1);
        long recordId = jdbc.sql("select id from source_records where source_file_id = :f and external_id = 'LATE-1'")
                .param("f", first.fileId()).query(Long.class).single();

        Api.Response created = api.asOps("POST", "/api/v1/customers", TestData.customerJson(customer));
        assertThat(created.status()).isEqualTo(201);
        String customerKey = Api.bearer(created.json().get("apiKey").asText());
        IngestResult second = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(List.of(
                String.join(",", "ON-TIME-1", customer, "emp-1", "Ada Lovelace", "TUITION", "100.00", "USD",
                        "2026-10-20", "MATH 102")))));
        assertThat(second.counts().get(Outcome.APPLIED)).isEqualTo(1);
        JsonNode replay = api.asOps("POST", "/api/v1/ingest/records/" + recordId + "/replay", null).json();
        assertThat(replay.get("records").get(0).get("outcome").asText()).isEqualTo("APPLIED");

        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + customer + "/trigger", null).json()
                .get("invoiceId").asLong();
        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json();
        assertThat(invoice.get("lines")).hasSize(1);

        Api.Response answer = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/lines/1/explain", null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode explained = answer.json();
        assertThat(explained.get("invoiceId").asLong()).isEqualTo(invoiceId);
        assertThat(explained.get("customerId").asText()).isEqualTo(customer);
        assertThat(explained.get("n").asInt()).isEqualTo(1);
        assertThat(explained.get("line").get("customerUserId").asText()).isEqualTo("emp-1");
        assertThat(explained.get("line").get("expenseType").asText()).isEqualTo("TUITION");
        assertThat(explained.get("line").get("total").asText()).isEqualTo("1350.00");
        assertThat(explained.get("itemsTotal").asText()).isEqualTo("1350.00");
        assertThat(explained.get("flags")).isEmpty();
        JsonNode items = explained.get("items");
        assertThat(items).hasSize(2);

        JsonNode late = items.get(0); // service-date order: Oct 14 before Oct 20
        assertThat(late.get("externalId").asText()).isEqualTo("LATE-1");
        assertThat(late.get("partner").get("id").asText()).isEqualTo(fixture.partnerId());
        assertThat(late.get("partner").get("name").asText()).isEqualTo("Partner " + fixture.partnerId());
        assertThat(late.get("appliedAmount").asText()).isEqualTo("1250.00");
        assertThat(late.get("invoicedAmount").asText()).isEqualTo("1250.00");
        assertThat(late.get("correction").isNull()).isTrue();
        assertThat(late.get("flags")).isEmpty();
        JsonNode source = late.get("source");
        assertThat(source.get("recordId").asLong()).isEqualTo(recordId);
        assertThat(source.get("fileId").asLong()).isEqualTo(first.fileId());
        assertThat(source.get("channel").asText()).isEqualTo("SFTP");
        assertThat(source.get("fileName").asText()).endsWith(".csv");
        assertThat(source.get("mapping").asText()).isEqualTo("standard-csv");
        assertThat(source.get("sha256").asText()).hasSize(64);
        assertThat(source.get("row").asInt()).isEqualTo(4); // the CSV's line, its header being line 1
        assertThat(source.get("messageId").isNull()).isTrue();
        assertThat(source.get("raw").asText()).startsWith("LATE-1," + customer + ",emp-1");
        JsonNode attempts = late.get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("run").asText()).isEqualTo("RECEIPT");
        assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(attempts.get(0).get("reason").asText()).isEqualTo("UNKNOWN_CUSTOMER");
        assertThat(attempts.get(1).get("run").asText()).isEqualTo("REPLAY");
        assertThat(attempts.get(1).get("runKey").asText()).startsWith("replay-");
        assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(attempts.get(1).get("id").asLong()).isGreaterThan(attempts.get(0).get("id").asLong());

        JsonNode onTime = items.get(1);
        assertThat(onTime.get("externalId").asText()).isEqualTo("ON-TIME-1");
        assertThat(onTime.get("source").get("fileId").asLong()).isEqualTo(second.fileId());
        assertThat(onTime.get("source").get("row").asInt()).isEqualTo(2);
        assertThat(onTime.get("attempts")).hasSize(1);
        assertThat(onTime.get("attempts").get(0).get("run").asText()).isEqualTo("RECEIPT");
        assertThat(onTime.get("attempts").get(0).get("outcome").asText()).isEqualTo("APPLIED");

        // The customer's own key may ask; another customer's key gets 404, as for every invoice endpoint.
        assertThat(api.withAuthorization("GET", "/api/v1/invoices/" + invoiceId + "/lines/1/explain", null,
                customerKey).json().get("items")).hasSize(2);
        Api.Response other = api.withAuthorization("GET", "/api/v1/invoices/" + invoiceId + "/lines/1/explain", null,
                Api.bearer(fixture.customerApiKey()));
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("error").asText()).isEqualTo("not_found");
        // No line 2 (nor 0): 404 in CONTRACT §10's shape, naming the field.
        for (int n : new int[] {0, 2}) {
            Api.Response unknown = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/lines/" + n + "/explain",
                    null);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
            assertThat(unknown.json().get("field").asText()).isEqualTo("n");
            assertThat(unknown.json().get("message").asText()).contains("line " + n + " of invoice " + invoiceId);
        }
        assertThat(api.send("GET", "/api/v1/invoices/" + invoiceId + "/lines/1/explain", null, null).status())
                .isEqualTo(401);

        // The console: the invoice links each line to its explanation, which shows the same chain.
        ConsoleSession ops = new ConsoleSession(api);
        ops.signIn("ops", Api.OPS_PASSWORD);
        assertThat(ops.get("/console/invoices/" + invoiceId).body())
                .contains("/console/invoices/" + invoiceId + "/lines/1\"", "explain this line");
        HttpResponse<String> page = ops.get("/console/invoices/" + invoiceId + "/lines/1");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("LATE-1", "ON-TIME-1", "Partner " + fixture.partnerId(),
                "/console/files/" + first.fileId(), "/console/records/" + recordId, "UNKNOWN_CUSTOMER",
                "data-run=\"RECEIPT\"", "data-run=\"REPLAY\"", "REJECTED", "APPLIED", "$1,250.00", "$1,350.00",
                "LATE-1," + customer);
        assertThat(ops.get("/console/invoices/" + invoiceId + "/lines/2").statusCode()).isEqualTo(404);
    }

    /** A browser-like console session: its cookie and the login form's CSRF token, no redirects followed. */
    private static final class ConsoleSession {

        private final Api api;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        ConsoleSession(Api api) {
            this.api = api;
        }

        void signIn(String user, String password) throws IOException, InterruptedException {
            Matcher token = CSRF.matcher(get("/console/login").body());
            assertThat(token.find()).isTrue();
            http.send(HttpRequest.newBuilder(URI.create(api.url("/console/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user,
                            StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                            + "&_csrf=" + token.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(api.url(path))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
