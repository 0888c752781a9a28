package com.invoicehub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.Browser;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.TestData;

/**
 * The console in headless Chromium, as ops and finance use it (issue 15): sign in, the overview, a rejected
 * record's file replayed after its dry run, the record's story, an invoice's items and its approval, a failed
 * delivery retried; finance finds the reports from the overview and may not approve or rotate secrets; nothing
 * without a login or a CSRF token; every page answers.
 */
@HubIntegrationTest
class ConsoleTest {

    private static final WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startReceiver() {
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void opsReplaysARejectedRecordApprovesAnInvoiceAndRetriesAFailedDelivery() {
        String hook = "/console-hook/" + System.nanoTime();
        receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(500)));
        Fixture fixture = fixtures.fresh((id, json) -> json
                .replace("\"webhookUrl\":null", "\"webhookUrl\":\"" + receiver.baseUrl() + hook + "\"")
                .replace("\"email\":true", "\"email\":false"));
        fixtures.apply(fixture, "C-1;emp-1;TUITION;1250.00;2026-10-14", "C-2;emp-2;MATERIALS;87.10;2026-10-20");
        // A row for a customer the hub does not know yet: REJECTED, until the customer exists and it is replayed.
        String lateCustomer = TestData.id("late");
        Path file = fixtures.csv(List.of(String.join(",", "C-9", lateCustomer, "emp-9", "Name emp-9", "TUITION",
                "99.00", "USD", "2026-10-15", "Course nine")));
        IngestResult rejected = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", file));
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();

        ChromeDriver browser = Browser.open();
        try {
            browser.get(api.url("/console"));
            assertThat(browser.getCurrentUrl()).endsWith("/console/login");
            signIn(browser, "ops", Api.OPS_PASSWORD);
            assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("ops (ops)");
            assertThat(browser.findElement(By.id("needs-a-person")).getText()).contains("deliveries FAILED");
            assertThat(browser.findElements(By.cssSelector("#match-rate svg g"))).hasSize(30);

            // The rejected row's file, replayed once its customer exists: a dry run first, then confirmed.
            browser.get(api.url("/console/files/" + rejected.fileId()));
            assertThat(browser.findElement(By.id("rows")).getText()).contains("REJECTED", "C-9");
            api.asOps("POST", "/api/v1/customers", TestData.customerJson(lateCustomer));
            browser.findElement(By.id("replay")).click();
            assertThat(shown(browser, "changes").getText()).contains("C-9", "REJECTED", "APPLIED");
            assertThat(api.asOps("GET", "/api/v1/ingest/files/" + rejected.fileId(), null).json().get("counts")
                    .get("APPLIED").asInt()).as("a dry run changes nothing").isZero();
            browser.findElement(By.id("confirm-replay")).click();
            assertThat(shown(browser, "notice").getText()).contains("replayed", "APPLIED=1");
            assertThat(browser.findElement(By.id("outcomes")).getText()).contains("APPLIED");

            // The record's story: as sent, every attempt, the line item it became.
            browser.findElement(By.cssSelector("#rows a")).click();
            assertThat(shown(browser, "raw").getText()).contains("C-9," + lateCustomer);
            assertThat(browser.findElement(By.id("story-attempts")).getText()).contains("REJECTED", "APPLIED");
            assertThat(browser.findElement(By.id("line-item")).getText()).contains(lateCustomer, "Course nine");

            // The invoice: the items behind a line, then approved by ops.
            browser.get(api.url("/console/invoices/" + invoiceId));
            assertThat(browser.findElement(By.id("invoice-total")).getText()).isEqualTo("$1,337.10");
            WebElement items = browser.findElement(By.cssSelector("#lines details"));
            items.findElement(By.tagName("summary")).click();
            assertThat(items.getText()).contains("C-1", "2026-10-14", "$1,250.00");
            browser.findElement(By.id("approve")).click();
            assertThat(shown(browser, "notice").getText()).contains("approved");
            assertThat(browser.findElement(By.id("invoice-status")).getText()).isEqualTo("APPROVED");
            assertThat(api.asOps("GET", "/api/v1/audit?entity=invoice&id=" + invoiceId, null).body())
                    .contains("invoice.approved", "\"actor\":\"ops\"");

            // Its webhook delivery fails (500 four times), is retried from the console and then delivered.
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveryStatus(invoiceId).equals("FAILED"));
            receiver.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200)));
            browser.get(api.url("/console/deliveries?status=FAILED"));
            browser.findElement(By.cssSelector("tr[data-delivery] .retry")).click();
            assertThat(shown(browser, "notice").getText()).contains("will be sent again");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.asOps("GET", "/api/v1/invoices/" + invoiceId,
                    null).json().get("status").asText().equals("DELIVERED"));
            browser.get(api.url("/console/invoices/" + invoiceId));
            assertThat(browser.findElement(By.cssSelector("#deliveries .delivery-status")).getText())
                    .isEqualTo("SENT");
        } finally {
            browser.quit();
        }
    }

    @Test
    void financeFindsTheFiguresFromTheOverviewButMayNotApproveOrRotate() throws Exception {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "F-1;emp-1;TUITION;300.00;2026-10-14");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();

        ChromeDriver browser = Browser.open();
        try {
            browser.get(api.url("/console/login"));
            signIn(browser, "finance", "test-finance-password");
            assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("finance (read only)");
            assertThat(browser.findElement(By.id("match-rate-month")).getText()).endsWith("%");
            assertThat(browser.findElement(By.id("outstanding")).getText()).contains("awaiting approval");
            browser.findElement(By.linkText("Reports")).click();
            assertThat(shown(browser, "report-match-rate").getText()).contains("attempts");
            assertThat(browser.findElement(By.id("outstanding-customers")).getText())
                    .contains(fixture.customerId(), "$300.00");
            assertThat(browser.findElement(By.id("reconciliation")).getText()).contains("Differences");

            browser.get(api.url("/console/invoices/" + invoiceId));
            assertThat(browser.findElements(By.id("approve"))).as("finance sees no Approve").isEmpty();
            browser.get(api.url("/console/partners/" + fixture.partnerId()));
            assertThat(browser.findElements(By.id("rotate"))).isEmpty();
        } finally {
            browser.quit();
        }

        // What the page hides is refused too: finance's session may not approve or rotate, even with a token.
        Session finance = new Session(api);
        finance.signIn("finance", "test-finance-password");
        String token = finance.csrfToken("/console/invoices/" + invoiceId);
        assertThat(finance.post("/console/invoices/" + invoiceId + "/approve", "_csrf=" + token).statusCode())
                .isEqualTo(403);
        assertThat(finance.post("/console/partners/" + fixture.partnerId() + "/rotate-credentials", "_csrf=" + token)
                .statusCode()).isEqualTo(403);
        assertThat(finance.get("/console/invoices/" + invoiceId).body()).doesNotContain("id=\"approve\"");
        assertThat(finance.post("/console/customers/" + fixture.customerId() + "/schedule/trigger", "_csrf=" + token)
                .statusCode()).isEqualTo(403);
        // Deciding a near-duplicate is finance's own work: allowed (an unknown item is a 404 page, not a 403).
        assertThat(finance.post("/console/review/999999999/confirm", "_csrf=" + token).statusCode()).isEqualTo(404);
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText())
                .isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void nothingWithoutALoginOrACsrfTokenAndAWrongPasswordIsSaidSo() throws Exception {
        Session nobody = new Session(api);
        HttpResponse<String> page = nobody.get("/console/invoices");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
        assertThat(nobody.signIn("ops", "wrong").headers().firstValue("Location").orElseThrow())
                .endsWith("/console/login?error");

        Session ops = new Session(api);
        ops.signIn("ops", Api.OPS_PASSWORD);
        assertThat(ops.get("/console").statusCode()).isEqualTo(200);
        Fixture fixture = fixtures.fresh();
        HttpResponse<String> noToken = ops.post("/console/partners/" + fixture.partnerId() + "/rotate-credentials",
                "");
        assertThat(noToken.statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(noToken.body()).contains("session that has ended", "/console/login");
        // The API is not opened by a console session: it still wants Basic or a key.
        assertThat(ops.get("/api/v1/partners").statusCode()).isEqualTo(401);
    }

    @Test
    void aConsoleSessionLivesInTheDatabaseSoEveryNodeKnowsItAndEndsEverywhereAtOnce() throws Exception {
        // Nobody signed in has a row: the login form and a page asked for before signing in keep no session.
        Session ops = new Session(api);
        ops.get("/console/invoices");
        ops.csrfToken("/console/login");
        assertThat(ops.hasCookie("SESSION")).isFalse();
        HttpResponse<String> signedIn = ops.signIn("ops", Api.OPS_PASSWORD);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).as("back to the page asked for")
                .contains("/console/invoices");
        assertThat(ops.get("/console").statusCode()).isEqualTo(200);
        String sessionId = ops.cookie("SESSION");
        assertThat(jdbc.sql("select principal_name from spring_session where session_id = ?").param(sessionId)
                .query(String.class).list()).containsExactly("ops");

        // Whichever node the proxy picks reads the same row; once it is gone (expired, or signed out on another
        // node) no node lets the cookie in.
        jdbc.sql("delete from spring_session where session_id = ?").param(sessionId).update();
        HttpResponse<String> after = ops.get("/console");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
    }

    @Test
    void everyPageAnswersForOpsAndRotatedCredentialsAreShownOnce() throws Exception {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "E-1;emp-1;TUITION;10.00;2026-10-14");
        IngestResult file = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(List.of(
                String.join(",", "E-2", fixture.customerId(), "emp-2", "Name", "TUITION", "-", "USD", "2026-10-14",
                        "bad amount")))));
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        long recordId = api.asOps("GET", "/api/v1/ingest/attempts?partnerId=" + fixture.partnerId(), null).json()
                .get("items").get(0).get("recordId").asLong();
        Session ops = new Session(api);
        ops.signIn("ops", Api.OPS_PASSWORD);
        for (String page : List.of("/console", "/console/files", "/console/files?status=DONE&channel=SFTP&from=2026-01-01",
                "/console/files/" + file.fileId(), "/console/files/" + file.fileId() + "?outcome=REJECTED",
                "/console/files/" + file.fileId() + "/replay", "/console/files/" + file.fileId() + "/results",
                "/console/files/" + file.fileId() + "/original", "/console/attempts?outcome=REJECTED",
                "/console/records/" + recordId, "/console/records/" + recordId + "/replay", "/console/invoices",
                "/console/invoices?status=AWAITING_APPROVAL", "/console/invoices/" + invoiceId,
                "/console/invoices/" + invoiceId + "/download?format=pdf", "/console/deliveries",
                "/console/partners", "/console/partners/" + fixture.partnerId(), "/console/customers",
                "/console/customers/" + fixture.customerId(), "/console/reports",
                "/console/reports?from=2026-10-01&to=2026-10-31&partner=" + fixture.partnerId(),
                "/console/reports?from=2026-10-31&to=2026-10-01", "/console/attempts?outcome=REJECTED&latest=true",
                "/console/dead-letters", "/console?refresh=true", "/console/review",
                "/console/review?state=DISMISSED")) {
            assertThat(ops.get(page).statusCode()).as(page).isEqualTo(200);
        }
        assertThat(ops.get("/console/files/" + file.fileId() + "/results").body()).contains("E-2", "REJECTED");
        // Refusals and mistakes are pages, not the API's JSON.
        HttpResponse<String> unknownInvoice = ops.get("/console/invoices/999999999");
        assertThat(unknownInvoice.statusCode()).isEqualTo(404);
        assertThat(unknownInvoice.body()).contains("id=\"refused\"", "999999999");
        HttpResponse<String> badFilter = ops.get("/console/files?status=BOGUS");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("status: &#39;BOGUS&#39; is not valid", "PROCESSING");
        assertThat(ops.get("/console/no-such-page/1").statusCode()).isEqualTo(404);
        assertThat(new Session(api).get("/console/assets/console.css").statusCode()).as("public").isEqualTo(200);

        String token = ops.csrfToken("/console/partners/" + fixture.partnerId());
        HttpResponse<String> rotated = ops.post("/console/partners/" + fixture.partnerId() + "/rotate-credentials",
                "_csrf=" + token);
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(rotated.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        Matcher key = Pattern.compile("id=\"api-key\">([^<]+)<").matcher(rotated.body());
        assertThat(key.find()).isTrue();
        assertThat(api.send("GET", "/api/v1/partners/" + fixture.partnerId() + "/line-items", null,
                Api.bearer(key.group(1))).status()).as("the new key is the partner's").isNotEqualTo(401);
        assertThat(api.asOps("GET", "/api/v1/audit?entity=partner&id=" + fixture.partnerId(), null).body())
                .contains("\"actor\":\"ops\"");
    }

    private static void signIn(ChromeDriver browser, String user, String password) {
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        shown(browser, "who");
    }

    /** The element of the page a submitted form leads to, once that page is there. */
    private static WebElement shown(ChromeDriver browser, String id) {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    private String deliveryStatus(long invoiceId) {
        JsonNode items = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/deliveries", null).json().get("items");
        return items.isEmpty() ? "" : items.get(0).get("status").asText();
    }

    /** A browser-like HTTP session: its cookie, the form's CSRF token, no redirects followed. */
    private static final class Session {

        private final Api api;
        private final CookieManager cookies = new CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();

        Session(Api api) {
            this.api = api;
        }

        HttpResponse<String> signIn(String user, String password) throws IOException, InterruptedException {
            String token = csrfToken("/console/login");
            return post("/console/login", "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                    + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + token);
        }

        boolean hasCookie(String name) {
            return cookies.getCookieStore().getCookies().stream().anyMatch(c -> c.getName().equals(name));
        }

        /** The value of the session's cookie {@code name}, decoded as the server set it. */
        String cookie(String name) {
            String value = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name)).getValue();
            return new String(java.util.Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        }

        String csrfToken(String page) throws IOException, InterruptedException {
            Matcher token = CSRF.matcher(get(page).body());
            assertThat(token.find()).as("a CSRF token on " + page).isTrue();
            return token.group(1);
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(api.url(path))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(api.url(path)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
