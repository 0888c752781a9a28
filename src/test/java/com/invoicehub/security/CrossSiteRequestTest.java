package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;

/**
 * A page on another site cannot turn a browser holding ops' Basic credentials against the hub: no state change from
 * a foreign origin, a cross-site fetch or a plain form; Jolokia is read-only and ops-only; finance reads only.
 * API clients (curl with JSON, Bearer keys) keep working.
 */
@HubIntegrationTest
class CrossSiteRequestTest {

    private static final String EVIL = "https://evil.example";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String FINANCE = Api.basic("finance", "test-finance-password");

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aCrossSiteFormPostWithOpsCredentialsDecidesNothing() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "X-1;emp-1;FEES;10.00;2026-10-10");
        long invoiceId = trigger(fixture);
        String approve = "/api/v1/invoices/" + invoiceId + "/approve";
        String ops = Api.basic("ops", Api.OPS_PASSWORD);

        // The attack as a browser sends it: a form posted from another site, with the cached credentials.
        HttpResponse<String> form = send("POST", approve, FORM, "x=1", ops, Map.of("Origin", EVIL,
                "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"));
        assertThat(form.statusCode()).isEqualTo(403);
        JsonNode error = parse(form);
        assertThat(error.get("error").asText()).isEqualTo("cross_site_request");
        assertThat(error.get("message").asText()).contains("cross-site");
        // A foreign Origin alone, a sandboxed frame's "null", a cross-site fetch with a JSON body: all refused.
        HttpResponse<String> foreign = send("POST", approve, FORM, "x=1", ops, Map.of("Origin", EVIL));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(parse(foreign).get("message").asText()).contains("foreign origin https://evil.example");
        assertThat(send("POST", approve, FORM, "", ops, Map.of("Origin", "null")).statusCode()).isEqualTo(403);
        assertThat(send("POST", approve, "application/json", "{}", ops, Map.of("Sec-Fetch-Site", "cross-site"))
                .statusCode()).isEqualTo(403);
        // An old browser that sends no Origin: a form body with Basic credentials needs JSON or the custom header.
        HttpResponse<String> plainForm = send("POST", approve, FORM, "x=1", ops, Map.of());
        assertThat(plainForm.statusCode()).isEqualTo(403);
        assertThat(parse(plainForm).get("message").asText()).contains("application/json", "X-Requested-By");
        assertThat(send("POST", approve, "text/plain", "x", ops, Map.of()).statusCode()).isEqualTo(403);
        // No Origin at all but a page of another site as Referer: refused whatever the body.
        HttpResponse<String> referred = send("POST", approve, null, null, ops,
                Map.of("Referer", EVIL + "/innocent.html"));
        assertThat(referred.statusCode()).isEqualTo(403);
        assertThat(parse(referred).get("message").asText()).contains("foreign page https://evil.example");
        // The other state changes too: trigger, rotate credentials, even with wrong credentials (refused first).
        assertThat(send("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", FORM, "", ops,
                Map.of("Origin", EVIL)).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/ingest/dead-letters/x", null, null, ops,
                Map.of("Origin", EVIL)).statusCode()).isEqualTo(403);
        // The approval page's forms: posted from another site, refused before the link is even looked at.
        assertThat(send("POST", "/approvals/1-x/approve", FORM, "", null, Map.of("Origin", EVIL)).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/approvals/1-x/approve", FORM, "", null, Map.of("Origin", "null",
                "Sec-Fetch-Site", "cross-site")).statusCode()).isEqualTo(403);
        assertThat(status(invoiceId)).isEqualTo("AWAITING_APPROVAL");

        // Reads are not state changes; the hub's own origin and curl (no Origin, no body or JSON) work.
        assertThat(send("GET", "/api/v1/invoices/" + invoiceId, null, null, ops, Map.of("Origin", EVIL))
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", approve, FORM, "x=1", ops, Map.of("X-Requested-By", "script")).statusCode())
                .isNotEqualTo(403);
        assertThat(status(invoiceId)).isEqualTo("APPROVED");
    }

    @Test
    void curlAndTheHubsOwnPagesKeepWorking() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "Y-1;emp-1;FEES;10.00;2026-10-10");
        long invoiceId = trigger(fixture);
        String ops = Api.basic("ops", Api.OPS_PASSWORD);
        String own = "http://localhost:" + environment.getProperty("local.server.port");
        // The hub's own page (Hawtio) posts from its own origin.
        HttpResponse<String> sameOrigin = send("POST", "/api/v1/invoices/" + invoiceId + "/deny", "application/json",
                "{\"reason\":\"wrong\"}", ops, Map.of("Origin", own, "Sec-Fetch-Site", "same-origin"));
        assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(200);
        // The approval page's own form, from a browser that sends no Fetch Metadata: its Origin is the hub's (the
        // page's Referrer-Policy is same-origin), so it reaches the link check (an unknown link here, not a 403).
        HttpResponse<String> ownForm = send("POST", "/approvals/1-x/approve", FORM, "", null, Map.of("Origin", own,
                "Referer", own + "/approvals/1-x"));
        assertThat(ownForm.statusCode()).as(ownForm.body()).isNotEqualTo(403).isBetween(400, 499);
        // curl -u ops:… -X POST …/trigger: no Origin, no body, no content type.
        Fixture other = fixtures.fresh();
        fixtures.apply(other, "Y-2;emp-1;FEES;10.00;2026-10-10");
        HttpResponse<String> curl = send("POST", "/api/v1/schedules/" + other.customerId() + "/trigger", null, null,
                ops, Map.of());
        assertThat(curl.statusCode()).as(curl.body()).isEqualTo(200);
        // A customer's key (Bearer) is no browser credential.
        long otherInvoice = parse(curl).get("invoiceId").asLong();
        assertThat(send("POST", "/api/v1/invoices/" + otherInvoice + "/approve", null, null,
                Api.bearer(other.customerApiKey()), Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void jolokiaIsReadOnlyOpsOnlyAndRefusesCrossSitePosts() {
        String ops = Api.basic("ops", Api.OPS_PASSWORD);
        String gc = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}";
        HttpResponse<String> crossSite = send("POST", "/actuator/jolokia", "text/plain", gc, ops,
                Map.of("Origin", EVIL));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(parse(crossSite).get("error").asText()).isEqualTo("cross_site_request");

        // Another site's script reading Jolokia with ops' cached credentials: refused, and no CORS grant.
        HttpResponse<String> crossSiteRead = send("GET",
                "/actuator/jolokia/read/java.lang:type=Runtime/SystemProperties", null, null, ops,
                Map.of("Origin", EVIL));
        assertThat(crossSiteRead.statusCode()).isEqualTo(403);
        assertThat(crossSiteRead.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(crossSiteRead.body()).doesNotContain("java.version");
        assertThat(send("GET", "/actuator/jolokia/version", null, null, ops, Map.of("Sec-Fetch-Site", "cross-site"))
                .statusCode()).isEqualTo(403);
        assertThat(send("GET", "/actuator/jolokia/version", null, null, ops, Map.of()).statusCode()).isEqualTo(200);

        // Ops with JSON: reads work, operations and writes are refused by Jolokia's policy.
        HttpResponse<String> read = send("POST", "/actuator/jolokia", "application/json",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\"}", ops, Map.of());
        assertThat(parse(read).get("status").asInt()).as(read.body()).isEqualTo(200);
        HttpResponse<String> exec = send("POST", "/actuator/jolokia", "application/json", gc, ops, Map.of());
        assertThat(exec.body()).doesNotContain("\"status\":200");
        assertThat(parse(exec).get("status").asInt()).as(exec.body()).isEqualTo(403);
        HttpResponse<String> write = send("POST", "/actuator/jolokia", "application/json",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
                ops, Map.of());
        assertThat(parse(write).get("status").asInt()).as(write.body()).isEqualTo(403);
        assertThat(send("GET", "/actuator/jolokia/exec/java.lang:type=Memory/gc", null, null, ops, Map.of()).body())
                .doesNotContain("\"status\":200");

        // Finance: no Jolokia, no Hawtio, no state changes; reads as before.
        assertThat(send("GET", "/actuator/jolokia/version", null, null, FINANCE, Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/actuator/jolokia", "application/json", "{\"type\":\"version\"}", FINANCE,
                Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/actuator/hawtio/", null, null, FINANCE, Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/ingest/dead-letters/redrive", "application/json", null, FINANCE, Map.of())
                .statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/partners", null, null, FINANCE, Map.of()).statusCode()).isEqualTo(200);
    }

    private long trigger(Fixture fixture) {
        JsonNode run = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json();
        assertThat(run.get("created").asBoolean()).as(run.toString()).isTrue();
        return run.get("invoiceId").asLong();
    }

    private String status(long invoiceId) {
        return api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText();
    }

    private JsonNode parse(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.statusCode() + ": " + response.body(), e);
        }
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body,
                                      String authorization, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + environment.getProperty("local.server.port") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
