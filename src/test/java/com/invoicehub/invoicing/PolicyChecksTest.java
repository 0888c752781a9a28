package com.invoicehub.invoicing;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.Mailbox;
import com.invoicehub.support.MutableClock;
import com.invoicehub.support.TestData;

/**
 * Issue 17: a customer's policies, declared with the customer, flag the lines that break them when an invoice is
 * issued; the approver sees the flag and the amount over in the JSON, on the approval page, in the PDF and the console.
 */
@HubIntegrationTest
class PolicyChecksTest {

    private static final Pattern LINK = Pattern.compile("http://\\S+/approvals/[0-9]+-[A-Za-z0-9_-]+");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    MutableClock clock;
    @Autowired
    Mailbox mailbox;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void anEmployeeOverTheAnnualCapAcrossTwoMonthlyInvoicesIsFlaggedOnTheSecondWithTheAmountOver() throws Exception {
        Fixture fixture = withPolicies("{\"annualCapPerEmployee\":\"5250.00\"}");
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        fixtures.apply(fixture, "K-1;emp-e;TUITION;3000.00;2026-10-10", "K-2;emp-f;TUITION;100.00;2026-10-11");
        long october = trigger(fixture);
        JsonNode first = invoice(october);
        assertThat(line(first, "emp-e", "TUITION").get("flags")).isEmpty();
        assertThat(api.asOps("POST", "/api/v1/invoices/" + october + "/approve", null).status()).isEqualTo(200);

        clock.set(Instant.parse("2026-12-06T12:00:00Z"));
        fixtures.apply(fixture, "K-3;emp-e;TUITION;3000.00;2026-11-10", "K-4;emp-f;TUITION;100.00;2026-11-11");
        long november = trigger(fixture);
        JsonNode second = invoice(november);
        JsonNode flags = line(second, "emp-e", "TUITION").get("flags");
        assertThat(flags).hasSize(1);
        assertThat(flags.get(0).get("kind").asText()).isEqualTo("ANNUAL_CAP_EXCEEDED");
        assertThat(flags.get(0).get("amountOver").asText()).isEqualTo("750.00");
        assertThat(flags.get(0).get("year").asInt()).isEqualTo(2026);
        assertThat(flags.get(0).get("message").asText()).contains("5250.00", "6000.00");
        assertThat(line(second, "emp-f", "TUITION").get("flags")).isEmpty();
        // The invoice's total is untouched: a flag informs the approver, it changes no amount.
        assertThat(second.get("total").asText()).isEqualTo("3100.00");

        // The approval page, the PDF and the console show the flag and the amount over.
        String page = get(linkFromMail(fixture, november)).body();
        assertThat(page).contains("1 line breaks a policy of the customer.", "Over the annual cap (2026)",
                "$750.00 over");
        assertThat(api.asOps("GET", "/api/v1/invoices/" + november + "/lines/1/explain", null).json().get("flags")
                .get(0).get("code").asText()).isEqualTo("POLICY_ANNUAL_CAP_EXCEEDED");
        String pdf = pdfText(api.bytesAsOps("/api/v1/invoices/" + november + "/download?format=pdf"));
        assertThat(pdf).contains("Policy: Over the annual cap (2026)", "750.00 over");
        assertThat(consolePage("/console/invoices/" + november)).contains("Over the annual cap (2026)",
                "$750.00 over");

        // Denied and re-issued: the revision is judged again, and the denied invoice is not counted besides it.
        api.asOps("POST", "/api/v1/invoices/" + november + "/deny", "{\"reason\":\"over the cap\"}");
        JsonNode revision = api.asOps("POST", "/api/v1/invoices/" + november + "/reissue", null).json();
        assertThat(line(revision, "emp-e", "TUITION").get("flags").get(0).get("amountOver").asText())
                .isEqualTo("750.00");
        api.asOps("POST", "/api/v1/invoices/" + revision.get("id").asLong() + "/approve", null);

        // December: already over, so all of a new charge is over; 6,060.00 billed for 2026, not 9,060.00.
        clock.set(Instant.parse("2027-01-06T12:00:00Z"));
        fixtures.apply(fixture, "K-5;emp-e;FEES;100.00;2026-12-10", "K-6;emp-e;TUITION;-40.00;2026-12-11");
        JsonNode december = invoice(trigger(fixture));
        JsonNode fees = line(december, "emp-e", "FEES").get("flags").get(0);
        assertThat(fees.get("amountOver").asText()).isEqualTo("100.00");
        assertThat(fees.get("message").asText()).contains("6060.00 billed for 2026");
        assertThat(line(december, "emp-e", "TUITION").get("flags")).isEmpty(); // a refund is never over

        // A new year starts from nothing.
        clock.set(Instant.parse("2027-02-06T12:00:00Z"));
        fixtures.apply(fixture, "K-7;emp-e;TUITION;5000.00;2027-01-10");
        assertThat(line(invoice(trigger(fixture)), "emp-e", "TUITION").get("flags")).isEmpty();
    }

    @Test
    void typesNotAllowedAndItemsOverTheMaximumAreFlagged() {
        Fixture fixture = withPolicies("{\"allowedExpenseTypes\":[\"TUITION\",\"FEES\"],\"maxPerItem\":\"2000.00\"}");
        fixtures.apply(fixture, "M-1;emp-1;TUITION;2500.00;2026-10-10", "M-2;emp-1;TUITION;2100.00;2026-10-11",
                "M-3;emp-1;TUITION;2000.00;2026-10-12", "M-4;emp-1;MATERIALS;80.50;2026-10-13",
                "M-5;emp-2;MATERIALS;-10.00;2026-10-13", "M-6;emp-2;FEES;15.00;2026-10-14");
        JsonNode invoice = invoice(trigger(fixture));
        JsonNode overMaximum = line(invoice, "emp-1", "TUITION").get("flags");
        assertThat(overMaximum).hasSize(1);
        assertThat(overMaximum.get(0).get("kind").asText()).isEqualTo("ITEM_OVER_MAXIMUM");
        assertThat(overMaximum.get(0).get("amountOver").asText()).isEqualTo("600.00");
        assertThat(overMaximum.get(0).get("message").asText()).startsWith("2 items are above the maximum of 2000.00");
        JsonNode notAllowed = line(invoice, "emp-1", "MATERIALS").get("flags");
        assertThat(notAllowed.get(0).get("kind").asText()).isEqualTo("EXPENSE_TYPE_NOT_ALLOWED");
        assertThat(notAllowed.get(0).get("amountOver").asText()).isEqualTo("80.50");
        assertThat(line(invoice, "emp-2", "MATERIALS").get("flags")).isEmpty(); // a refund only lowers the bill
        assertThat(line(invoice, "emp-2", "FEES").get("flags")).isEmpty();
    }

    @Test
    void policiesArePartOfTheCustomerValidatedAndAudited() throws Exception {
        Fixture fixture = fixtures.fresh();
        String id = fixture.customerId();
        assertThat(api.asOps("GET", "/api/v1/customers/" + id, null).json().get("policies").get("annualCapPerEmployee")
                .isNull()).isTrue();

        String declared = customerWithPolicies(id, "{\"annualCapPerEmployee\":\"5250\",\"allowedExpenseTypes\":"
                + "[\"TUITION\"],\"maxPerItem\":\"2000.00\"}");
        JsonNode updated = api.asOps("PUT", "/api/v1/customers/" + id, declared).json();
        assertThat(updated.get("policies").get("annualCapPerEmployee").asText()).isEqualTo("5250.00");
        assertThat(updated.get("policies").get("allowedExpenseTypes").toString()).isEqualTo("[\"TUITION\"]");
        assertThat(updated.get("policies").get("maxPerItem").asText()).isEqualTo("2000.00");

        // A PUT that leaves policies out keeps them (as it keeps delivery); {} removes them.
        JsonNode kept = api.asOps("PUT", "/api/v1/customers/" + id,
                TestData.customerJson(id).replace("\"invoiceDay\":5", "\"invoiceDay\":6")).json();
        assertThat(kept.get("policies").get("annualCapPerEmployee").asText()).isEqualTo("5250.00");

        JsonNode audit = api.asOps("GET", "/api/v1/audit?entity=customer&id=" + id, null).json().get("items");
        assertThat(audit.get(1).get("action").asText()).isEqualTo("customer.updated");
        assertThat(audit.get(1).get("before").get("policies").get("annualCapPerEmployee").isNull()).isTrue();
        assertThat(audit.get(1).get("after").get("policies").get("annualCapPerEmployee").asText()).isEqualTo("5250.00");

        refused(id, "{\"annualCapPerEmployee\":\"5250.001\"}", "policies.annualCapPerEmployee");
        refused(id, "{\"annualCapPerEmployee\":\"-1\"}", "policies.annualCapPerEmployee");
        refused(id, "{\"maxPerItem\":\"much\"}", "policies.maxPerItem");
        refused(id, "{\"allowedExpenseTypes\":[]}", "policies.allowedExpenseTypes");
        refused(id, "{\"allowedExpenseTypes\":[\"TUITION\",\"TRAVEL\"]}", "policies.allowedExpenseTypes[1]");
        assertThat(api.asOps("GET", "/api/v1/customers/" + id, null).json().get("policies").get("maxPerItem").asText())
                .isEqualTo("2000.00");
        assertThat(consolePage("/console/customers/" + id)).contains("annual cap $5,250.00 per employee",
                "allowed types TUITION", "at most $2,000.00 per item");

        JsonNode removed = api.asOps("PUT", "/api/v1/customers/" + id, customerWithPolicies(id, "{}")).json();
        assertThat(removed.get("policies").get("annualCapPerEmployee").isNull()).isTrue();
        assertThat(removed.get("policies").get("allowedExpenseTypes").isNull()).isTrue();

        // Declared when the customer is made, too.
        String newId = TestData.id("customer");
        Api.Response created = api.asOps("POST", "/api/v1/customers",
                customerWithPolicies(newId, "{\"maxPerItem\":\"99.99\"}"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("policies").get("maxPerItem").asText()).isEqualTo("99.99");
    }

    private void refused(String id, String policies, String field) {
        Api.Response answer = api.asOps("PUT", "/api/v1/customers/" + id, customerWithPolicies(id, policies));
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("field").asText()).isEqualTo(field);
    }

    private Fixture withPolicies(String policies) {
        return fixtures.fresh((id, json) -> customerWithPolicies(id, policies));
    }

    private static String customerWithPolicies(String id, String policies) {
        return TestData.customerJson(id).replace("\"delivery\":", "\"policies\":" + policies + ",\"delivery\":");
    }

    private long trigger(Fixture fixture) {
        JsonNode run = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json();
        assertThat(run.get("created").asBoolean()).as(run.toString()).isTrue();
        return run.get("invoiceId").asLong();
    }

    private JsonNode invoice(long id) {
        return api.asOps("GET", "/api/v1/invoices/" + id, null).json();
    }

    private static JsonNode line(JsonNode invoice, String user, String type) {
        for (JsonNode line : invoice.get("lines")) {
            if (line.get("customerUserId").asText().equals(user) && line.get("expenseType").asText().equals(type)) {
                return line;
            }
        }
        throw new AssertionError("no line " + user + " " + type + " in " + invoice);
    }

    private String linkFromMail(Fixture fixture, long invoiceId) {
        Mailbox.ReadMail mail = mailbox.await("approver@" + fixture.customerId() + ".example",
                m -> m.subject().contains("invoice " + invoiceId + " ") || m.subject().contains("invoice " + invoiceId
                        + " ("));
        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).as(mail.text()).isTrue();
        return link.group();
    }

    private static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    /** The page as ops sees it: signed in by the console's form, with its CSRF token. */
    private String consolePage(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Matcher token = CSRF.matcher(send(http, HttpRequest.newBuilder(URI.create(api.url("/console/login"))).GET())
                .body());
        assertThat(token.find()).isTrue();
        send(http, HttpRequest.newBuilder(URI.create(api.url("/console/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=ops&password="
                        + URLEncoder.encode(Api.OPS_PASSWORD, StandardCharsets.UTF_8) + "&_csrf=" + token.group(1))));
        HttpResponse<String> page = send(http, HttpRequest.newBuilder(URI.create(api.url(path)))
                .header("Accept-Language", "en-US").GET());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return page.body();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(url))
                .header("Accept-Language", "en-US").GET());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
