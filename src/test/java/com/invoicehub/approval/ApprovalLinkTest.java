package com.invoicehub.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.Browser;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.Mailbox;
import com.invoicehub.support.MutableClock;

/**
 * An approver decides from the mail: the link arrives over IMAP, opens the page in a real (headless) browser, and
 * works once. Forged, expired and used links are refused; the page works without JavaScript (plain form posts).
 */
@HubIntegrationTest
class ApprovalLinkTest {

    private static final Pattern LINK = Pattern.compile("http://\\S+/approvals/[0-9]+-[A-Za-z0-9_-]+");

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Mailbox mailbox;
    @Autowired
    MutableClock clock;
    @Autowired
    ApprovalMailer mailer;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    FileIngestion ingestion;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void anApproverApprovesOnceFromTheMailInARealBrowserAndTheLinkIsDeadAfterwards() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "P-1;emp-1;TUITION;1250.00;2026-10-14", "P-2;emp-1;MATERIALS;87.10;2026-10-20",
                "P-3;emp-2;TUTORING;40.00;2026-10-28", "P-4;emp-2;TUTORING;-5.00;2026-10-29");
        long invoiceId = trigger(fixture);
        String link = linkFromMail(fixture, invoiceId);

        ChromeDriver browser = Browser.open();
        try {
            browser.get(link);
            assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("$1,372.10");
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("AWAITING_APPROVAL");
            assertThat(browser.getPageSource()).contains("Name emp-1", "Name emp-2", "$1,337.10", "$35.00");
            browser.findElement(By.id("approve")).click();
            assertThat(stateAfterSubmit(browser)).contains("is approved");
            // The POST answered with a redirect: a refresh shows the outcome again and decides nothing twice.
            assertThat(browser.getCurrentUrl()).endsWith("?decided");
            browser.navigate().refresh();
            assertThat(browser.findElement(By.id("state")).getText()).contains("is approved");

            // Opened again (or clicked again from history): dead, and nothing to click.
            browser.get(link);
            assertThat(browser.findElement(By.id("state")).getText()).contains("This link was used already");
            assertThat(browser.findElements(By.id("approve"))).isEmpty();
        } finally {
            browser.quit();
        }
        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json();
        assertThat(invoice.get("status").asText()).isIn("APPROVED", "DELIVERED"); // delivered by mail right after
        assertThat(invoice.get("decidedBy").asText()).isEqualTo("approver:approver@" + fixture.customerId()
                + ".example");
        assertThat(post(link + "/deny", "reason=too+late").statusCode()).isEqualTo(410);
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText())
                .isIn("APPROVED", "DELIVERED");
    }

    @Test
    void denyWithAReasonInTheBrowserThenCorrectAndReissueAndTheRevisionIsApprovedByItsOwnLink() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "Q-1;emp-1;TUITION;100.00;2026-10-10", "Q-2;emp-1;TUITION;50.00;2026-10-11");
        long invoiceId = trigger(fixture);
        String link = linkFromMail(fixture, invoiceId);

        ChromeDriver browser = Browser.open();
        try {
            browser.get(link);
            browser.findElement(By.id("reason")).sendKeys("Q-2 was cancelled");
            browser.findElement(By.id("deny")).click();
            assertThat(stateAfterSubmit(browser)).contains("is denied");
        } finally {
            browser.quit();
        }
        JsonNode denied = api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json();
        assertThat(denied.get("status").asText()).isEqualTo("DENIED");
        assertThat(denied.get("reason").asText()).isEqualTo("Q-2 was cancelled");

        long q2 = lineItemId(fixture, "Q-2");
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/corrections",
                "{\"lineItemId\":" + q2 + ",\"action\":\"EXCLUDE\",\"reason\":\"cancelled course\"}").status())
                .isEqualTo(200);
        // The denied invoice's page lists the excluded item as excluded, not as billed.
        HttpResponse<String> corrected = get(link);
        assertThat(corrected.statusCode()).isEqualTo(410);
        assertThat(corrected.body()).contains("Excluded, not billed: cancelled course");
        long revision = api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/reissue", null).json().get("id")
                .asLong();

        String revisionLink = linkFromMail(fixture, revision);
        assertThat(revisionLink).isNotEqualTo(link);
        assertThat(get(link).statusCode()).isEqualTo(410); // the first link stays dead
        HttpResponse<String> page = get(revisionLink);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("revision 2", "$100.00", "Q-1").doesNotContain("Q-2", "Excluded");
        HttpResponse<String> approved = post(revisionLink + "/approve", "");
        assertThat(approved.statusCode()).isEqualTo(303);
        String outcome = approved.headers().firstValue("Location").orElseThrow();
        assertThat(outcome).endsWith(revisionLink.substring(revisionLink.indexOf("/approvals/")) + "?decided");
        assertThat(approved.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> shown = get(URI.create(revisionLink).resolve(outcome).toString());
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("is approved");
        assertThat(api.asOps("GET", "/api/v1/invoices/" + revision, null).json().get("status").asText())
                .isIn("APPROVED", "DELIVERED");
    }

    @Test
    void eachLineOpensTheItemsBehindItOnAPhoneWithoutJavaScriptAndMoneyIsFormatted() {
        Fixture fixture = fixtures.fresh();
        ingest(fixture, "USD",
                "C-1,emp-1,Name emp-1,TUITION,283000.00,2026-10-14,Data Science 101",
                "C-2,emp-1,Name emp-1,TUITION,566.35,2026-10-06,Statistics <b>II</b>",
                "C-3,emp-1,Name emp-1,MATERIALS,-12.50,2026-10-20,Returned textbook");
        long invoiceId = trigger(fixture);
        Mailbox.ReadMail mail = mailbox.await("approver@" + fixture.customerId() + ".example",
                m -> m.subject().contains("invoice " + invoiceId + " "));
        assertThat(mail.subject()).endsWith(", $283,553.85 USD");
        assertThat(mail.text()).contains("Total:    $283,553.85 USD");
        assertThat(mail.html()).contains("$283,553.85");
        String link = linkFromMail(fixture, invoiceId);

        ChromeDriver browser = Browser.open();
        try {
            browser.get(link);
            assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("$283,553.85");
            WebElement tuition = browser.findElement(By.cssSelector("details[data-line='emp-1 TUITION']"));
            WebElement summary = tuition.findElement(By.tagName("summary"));
            assertThat(summary.getText()).isEqualTo("Show the 2 items");
            List<WebElement> items = tuition.findElements(By.cssSelector("li.item"));
            assertThat(items).hasSize(2).noneMatch(WebElement::isDisplayed); // on demand: closed at first

            summary.click();
            assertThat(items).allMatch(WebElement::isDisplayed);
            // In service-date order: partner, course, service date, external id and the amount, formatted.
            assertThat(items.get(0).findElement(By.className("partner")).getText())
                    .isEqualTo("Partner " + fixture.partnerId());
            assertThat(items.get(0).findElement(By.className("description")).getText())
                    .isEqualTo("Statistics <b>II</b>"); // a course's name is text, never markup
            assertThat(items.get(0).findElement(By.className("service-date")).getText()).isEqualTo("2026-10-06");
            assertThat(items.get(0).findElement(By.className("amount")).getText()).isEqualTo("$566.35");
            assertThat(items.get(1).getText()).contains("Data Science 101", "2026-10-14", "C-1", "$283,000.00");
            // Readable on the phone's 412 px: the opened items fit, nothing to scroll sideways.
            assertThat((Boolean) browser.executeScript("var t = document.querySelector('.card.table');"
                    + " return t.scrollWidth <= t.clientWidth"
                    + " && document.documentElement.scrollWidth <= window.innerWidth")).isTrue();

            WebElement materials = browser.findElement(By.cssSelector("details[data-line='emp-1 MATERIALS']"));
            materials.findElement(By.tagName("summary")).click();
            assertThat(materials.findElement(By.cssSelector("li.item")).getText())
                    .contains("Returned textbook", "-$12.50");
            assertThat(browser.getPageSource()).contains("$283,566.35", "-$12.50");
        } finally {
            browser.quit();
        }
    }

    @Test
    void aGermanReaderSeesEurosTheGermanWay() {
        Fixture fixture = fixtures.fresh((id, json) -> json.replace("\"currency\":\"USD\"", "\"currency\":\"EUR\""));
        ingest(fixture, "EUR", "E-1,emp-1,Name emp-1,TUITION,1234.50,2026-10-14,Deutschkurs B2");
        long invoiceId = trigger(fixture);
        String link = linkFromMail(fixture, invoiceId);

        // WebDriver reads a no-break space as a plain one; the page itself holds Java's U+00A0 (checked below).
        ChromeDriver browser = Browser.open("de-DE,de");
        try {
            browser.get(link);
            assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("1.234,50 €");
            WebElement line = browser.findElement(By.cssSelector("details[data-line='emp-1 TUITION']"));
            line.findElement(By.tagName("summary")).click();
            assertThat(line.findElement(By.cssSelector("li.item .amount")).getText()).isEqualTo("1.234,50 €");
        } finally {
            browser.quit();
        }
        HttpResponse<String> german = exchange(HttpRequest.newBuilder(URI.create(link))
                .header("Accept-Language", "de-DE,de;q=0.9").GET());
        assertThat(german.body()).contains(">1.234,50\u00A0€<");
        // Without Accept-Language the page does not follow the server's default locale: en-US.
        assertThat(get(link).body()).contains("€1,234.50");
        HttpResponse<String> french = exchange(HttpRequest.newBuilder(URI.create(link))
                .header("Accept-Language", "fr-FR").GET());
        assertThat(french.body()).contains("1\u202F234,50\u00A0€");
    }

    @Test
    void forgedExpiredAndReasonlessDecisionsAreRefusedWithoutDecidingAnything() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "R-1;emp-1;FEES;10.00;2026-10-10");
        long invoiceId = trigger(fixture);
        String link = linkFromMail(fixture, invoiceId);
        assertThat(get(link).headers().firstValue("Referrer-Policy")).hasValue("same-origin");

        // Altered signature, altered id, and nonsense: all "not valid", nothing decided.
        String forgedSignature = link.substring(0, link.length() - 3) + (link.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(post(forgedSignature + "/approve", "").statusCode()).isEqualTo(404);
        Matcher id = Pattern.compile("/approvals/([0-9]+)-").matcher(link);
        assertThat(id.find()).isTrue();
        String otherId = link.replace("/approvals/" + id.group(1) + "-",
                "/approvals/" + (Long.parseLong(id.group(1)) + 1) + "-");
        assertThat(post(otherId + "/approve", "").statusCode()).isEqualTo(404);
        assertThat(get(link.replaceAll("/approvals/.*", "/approvals/hello")).statusCode()).isEqualTo(404);

        // Deny needs a reason: the form comes back with the error, still open.
        HttpResponse<String> reasonless = post(link + "/deny", "reason=+");
        assertThat(reasonless.statusCode()).isEqualTo(400);
        assertThat(reasonless.body()).contains("Please say why you deny this invoice.");

        // Fifteen days later the link has expired (default lifetime 14 days).
        clock.set(Instant.now().plus(Duration.ofDays(15)));
        HttpResponse<String> expired = post(link + "/approve", "");
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body()).contains("This link has expired");
        clock.reset();
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText())
                .isEqualTo("AWAITING_APPROVAL");

        // Ops see the request (sent, not used) and re-open it: a fresh mail with a fresh link that works.
        JsonNode sent = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/approval-requests", null).json()
                .get("items");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("sentAt").isNull()).isFalse();
        assertThat(sent.get(0).get("usedAt").isNull()).isTrue();
        assertThat(api.withAuthorization("POST", "/api/v1/invoices/" + invoiceId + "/approval-requests", null,
                Api.bearer(fixture.customerApiKey())).status()).isEqualTo(403);
        // A minute after the first requests (a re-open sooner is refused), and a double click sends one set of mails.
        clock.set(Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approval-requests", null).json()
                .get("items")).hasSize(2);
        Api.Response doubleClick = api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approval-requests", null);
        assertThat(doubleClick.status()).isEqualTo(409);
        assertThat(doubleClick.json().get("error").asText()).isEqualTo("just_opened");
        assertThat(doubleClick.json().get("message").asText()).contains("mail every approver twice");
        clock.reset();
        String fresh = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> links(fixture, invoiceId),
                links -> links.size() == 2).get(1);
        assertThat(fresh).isNotEqualTo(link);
        assertThat(get(fresh).statusCode()).isEqualTo(200);

        // Decided by API meanwhile: the links show the decision and cannot change it.
        api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null);
        HttpResponse<String> decided = post(link + "/deny", "reason=no");
        assertThat(decided.statusCode()).isEqualTo(410);
        assertThat(decided.body()).contains("This invoice was decided already");
        assertThat(post(fresh + "/approve", "").statusCode()).isEqualTo(410);
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approval-requests", null).status())
                .isEqualTo(409);
    }

    @Test
    void aRemovedApproversLinkIsRevokedAndDecidesNothingEvenIfAddedAgain() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "V-1;emp-1;FEES;10.00;2026-10-10");
        long invoiceId = trigger(fixture);
        String link = linkFromMail(fixture, invoiceId);
        assertThat(get(link).statusCode()).isEqualTo(200);

        // The customer's approvers change: the old approver is replaced.
        String customer = "/api/v1/customers/" + fixture.customerId();
        String original = com.invoicehub.support.TestData.customerJson(fixture.customerId());
        String replaced = original.replace("\"approverEmails\":[\"approver@", "\"approverEmails\":[\"new-approver@");
        assertThat(api.asOps("PUT", customer, replaced).status()).isEqualTo(200);

        HttpResponse<String> page = get(link);
        assertThat(page.statusCode()).isEqualTo(410);
        assertThat(page.body()).contains("This link was revoked").doesNotContain("emp-1");
        HttpResponse<String> approve = post(link + "/approve", "");
        assertThat(approve.statusCode()).isEqualTo(410);
        assertThat(approve.body()).contains("This link was revoked");
        assertThat(status(invoiceId)).isEqualTo("AWAITING_APPROVAL");
        JsonNode requests = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/approval-requests", null).json()
                .get("items");
        assertThat(requests.get(0).get("revokedAt").isNull()).isFalse();
        assertThat(requests.get(0).get("usedAt").isNull()).isTrue();

        // Added back, the old link stays dead (a re-open would mail a fresh one).
        assertThat(api.asOps("PUT", customer, original).status()).isEqualTo(200);
        assertThat(post(link + "/approve", "").statusCode()).isEqualTo(410);
        assertThat(status(invoiceId)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void aDecisionChecksTheApproverAgainAtDecisionTime() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "W-1;emp-1;FEES;10.00;2026-10-10");
        long invoiceId = trigger(fixture);
        String link = linkFromMail(fixture, invoiceId);
        // The approvers changed without the change's revocation (e.g. by hand in the database): still refused.
        jdbc.sql("update customers set approver_emails = array['someone-else@example.com'] where id = :id")
                .param("id", fixture.customerId()).update();
        HttpResponse<String> approve = post(link + "/approve", "");
        assertThat(approve.statusCode()).isEqualTo(410);
        assertThat(approve.body()).contains("This link was revoked");
        assertThat(status(invoiceId)).isEqualTo("AWAITING_APPROVAL");
        // Listed again (case aside), the link works: nothing had revoked it for good.
        jdbc.sql("update customers set approver_emails = array[:email] where id = :id")
                .param("email", ("approver@" + fixture.customerId() + ".example").toUpperCase())
                .param("id", fixture.customerId()).update();
        assertThat(post(link + "/approve", "").statusCode()).isEqualTo(303);
        assertThat(status(invoiceId)).isEqualTo("APPROVED");
    }

    private String status(long invoiceId) {
        return api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("status").asText();
    }

    /** Closes the customer's latest due period now (the items are from October 2026: always before its end). */
    /** The form's POST navigates; wait for the answer page rather than reading the old one. */
    private static String stateAfterSubmit(ChromeDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(driver -> driver.findElements(By.id("state")).stream().findFirst().map(e -> e.getText())
                        .orElse(null));
    }

    @Test
    void aMailClaimedByAnotherNodeIsLeftToItUntilItsLeaseRunsOutAndThenSentOnce() throws Exception {
        camel.getRouteController().stopRoute("approval-mails");
        try {
            Fixture fixture = fixtures.fresh();
            fixtures.apply(fixture, "L-1;emp-1;TUITION;100.00;2026-10-14");
            long invoiceId = trigger(fixture);
            // Another node claimed the request and is sending it (no row lock: the claim is a lease).
            jdbc.sql("update approval_tokens set lease_owner = 'other-node/1', lease_until = :until "
                            + "where invoice_id = :id")
                    .param("until", java.sql.Timestamp.from(Instant.now().plus(Duration.ofMinutes(2))))
                    .param("id", invoiceId).update();
            mailer.sendDue();
            assertThat(sentAt(invoiceId)).containsOnlyNulls();

            // That node died: once its lease ran out this one sends the mail, records it and releases the claim.
            clock.set(Instant.now().plus(Duration.ofMinutes(3)));
            mailer.sendDue();
            clock.reset();
            assertThat(sentAt(invoiceId)).doesNotContainNull();
            assertThat(jdbc.sql("select count(*) from approval_tokens where invoice_id = :id and lease_owner is null "
                    + "and send_attempts = 1").param("id", invoiceId).query(Long.class).single()).isEqualTo(1L);
            assertThat(linkFromMail(fixture, invoiceId)).isNotBlank();
        } finally {
            camel.getRouteController().startRoute("approval-mails");
        }
    }

    @Test
    void aRequestOfAnApproverNoLongerListedIsNeverMailed() throws Exception {
        camel.getRouteController().stopRoute("approval-mails");
        try {
            Fixture fixture = fixtures.fresh();
            fixtures.apply(fixture, "R-1;emp-1;TUITION;100.00;2026-10-14");
            long invoiceId = trigger(fixture);
            // The approver was removed while the run made the request, so the change's revocation did not see it.
            jdbc.sql("update customers set approver_emails = array['someone-else@example.com'] where id = :id")
                    .param("id", fixture.customerId()).update();
            mailer.sendDue();
            assertThat(sentAt(invoiceId)).containsOnlyNulls();
            assertThat(jdbc.sql("select count(*) from approval_tokens where invoice_id = :id and send_attempts = 0")
                    .param("id", invoiceId).query(Long.class).single()).isEqualTo(1L);
        } finally {
            camel.getRouteController().startRoute("approval-mails");
        }
    }

    private List<java.sql.Timestamp> sentAt(long invoiceId) {
        return jdbc.sql("select sent_at from approval_tokens where invoice_id = :id").param("id", invoiceId)
                .query(java.sql.Timestamp.class).list();
    }

    /** Ingests the fixture's items, each {@code externalId,userId,userName,type,amount,serviceDate,description}. */
    private void ingest(Fixture fixture, String currency, String... rows) {
        List<String> lines = java.util.Arrays.stream(rows).map(row -> {
            String[] f = row.split(",", 7);
            return String.join(",", f[0], fixture.customerId(), f[1], f[2], f[3], f[4], currency, f[5], f[6]);
        }).toList();
        assertThat(ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(lines))).counts())
                .containsEntry(com.invoicehub.ingest.Outcome.APPLIED, rows.length);
    }

    private long trigger(Fixture fixture) {
        JsonNode run = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json();
        assertThat(run.get("created").asBoolean()).as(run.toString()).isTrue();
        return run.get("invoiceId").asLong();
    }

    private String linkFromMail(Fixture fixture, long invoiceId) {
        Mailbox.ReadMail mail = mailbox.await("approver@" + fixture.customerId() + ".example",
                m -> m.subject().contains("invoice " + invoiceId + " ") || m.subject().contains("invoice " + invoiceId
                        + " ("));
        assertThat(mail.html()).contains("Review and approve");
        assertThat(mail.header("Message-ID")).matches("<approval-request-[0-9]+@invoice-hub>");
        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).as(mail.text()).isTrue();
        assertThat(mail.html()).contains(link.group());
        return link.group();
    }

    /** Every approval link mailed to the fixture's approver for the invoice, oldest first. */
    private List<String> links(Fixture fixture, long invoiceId) throws Exception {
        return mailbox.read("approver@" + fixture.customerId() + ".example").stream()
                .filter(m -> m.subject().contains("invoice " + invoiceId + " "))
                .map(m -> {
                    Matcher link = LINK.matcher(m.text());
                    return link.find() ? link.group() : null;
                })
                .toList();
    }

    private long lineItemId(Fixture fixture, String externalId) {
        return api.asOps("GET", "/api/v1/ingest/attempts?partnerId=" + fixture.partnerId(), null).json().get("items")
                .findParents("externalId").stream().filter(a -> a.get("externalId").asText().equals(externalId))
                .map(a -> api.asOps("GET", "/api/v1/ingest/records/" + a.get("recordId").asLong(), null).json()
                        .get("lineItemId").asLong())
                .findFirst().orElseThrow();
    }

    private HttpResponse<String> get(String url) {
        return exchange(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> post(String url, String form) {
        return exchange(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
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
