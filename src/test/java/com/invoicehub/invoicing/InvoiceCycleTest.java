package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;

/** A customer's period is invoiced once, right to the cent, and decided once. Time is moved, never waited for. */
@HubIntegrationTest
class InvoiceCycleTest {

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    Schedules schedules;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void realTime() {
        clock.reset();
    }


    @Test
    void onePeriodOneInvoiceThenTheLateItemLandsOnTheNextAsPriorPeriod() throws Exception {
        Fixture fixture = fixtures.fresh(); // invoice day 5, America/New_York, USD
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        fixtures.apply(fixture,
                "A-1;emp-1;TUITION;1250.00;2026-10-14",
                "A-2;emp-1;TUITION;-100.50;2026-10-20",   // a refund subtracts
                "A-3;emp-1;MATERIALS;87.10;2026-10-06",
                "A-4;emp-2;TUTORING;40.00;2026-09-28",    // before the period: prior-period
                "A-5;emp-2;FEES;15.00;2026-11-10");       // after the period end: next invoice

        JsonNode first = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json();
        assertThat(first.get("created").asBoolean()).isTrue();
        long invoiceId = first.get("invoiceId").asLong();

        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json();
        assertThat(invoice.get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(invoice.get("periodStart").asText()).isEqualTo("2026-10-05");
        assertThat(invoice.get("periodEnd").asText()).isEqualTo("2026-11-05");
        assertThat(invoice.get("total").asText()).isEqualTo(new BigDecimal("1250.00").add(new BigDecimal("-100.50"))
                .add(new BigDecimal("87.10")).add(new BigDecimal("40.00")).toPlainString());
        assertThat(invoice.get("lines")).hasSize(3);
        JsonNode tuition = line(invoice, "emp-1", "TUITION");
        assertThat(tuition.get("total").asText()).isEqualTo("1149.50");
        assertThat(tuition.get("itemCount").asInt()).isEqualTo(2);
        assertThat(line(invoice, "emp-2", "TUTORING").get("priorPeriod").asBoolean()).isTrue();
        assertThat(line(invoice, "emp-1", "MATERIALS").get("priorPeriod").asBoolean()).isFalse();

        // Downloads: the CSV has one row per item, totals that add up, and no cell a spreadsheet would run.
        String csv = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/download?format=csv", null).body();
        List<String> csvRows = csv.lines().toList();
        assertThat(csvRows).hasSize(1 + 4);
        assertThat(csvRows.get(0)).startsWith("invoiceId,customerId,periodStart,periodEnd,customerUserId");
        BigDecimal csvTotal = csvRows.stream().skip(1).map(row -> row.split(","))
                .map(cells -> new BigDecimal(cells[cells.length - 2])).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(csvTotal.toPlainString()).isEqualTo(invoice.get("total").asText());
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/download?format=json", null).json()
                .get("total").asText()).isEqualTo(invoice.get("total").asText());
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/download?format=doc", null).json()
                .get("field").asText()).isEqualTo("format");

        // Triggered again, and by two nodes at once: no second invoice.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<InvoiceRun.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Callable<InvoiceRun.Result> run = () -> schedules.trigger(fixture.customerId());
            runs.add(pool.submit(run));
        }
        for (Future<InvoiceRun.Result> run : runs) {
            assertThat(run.get().invoiceId()).isEqualTo(invoiceId);
            assertThat(run.get().created()).isFalse();
        }
        pool.shutdown();
        assertThat(invoiceCount(fixture)).isEqualTo(1);

        // A late item of October arrives after the run; the December run takes it, marked prior-period.
        fixtures.apply(fixture, "A-6;emp-1;TUITION;10.00;2026-10-30");
        clock.set(Instant.parse("2026-12-05T05:30:00Z")); // just past midnight, December 5, New York
        List<InvoiceRun.Result> due = schedules.runDue();
        InvoiceRun.Result december = due.stream().filter(r -> r.customerId().equals(fixture.customerId()))
                .findFirst().orElseThrow();
        assertThat(december.created()).isTrue();
        JsonNode next = api.asOps("GET", "/api/v1/invoices/" + december.invoiceId(), null).json();
        assertThat(next.get("periodStart").asText()).isEqualTo("2026-11-05");
        assertThat(next.get("total").asText()).isEqualTo("25.00");
        assertThat(line(next, "emp-1", "TUITION").get("priorPeriod").asBoolean()).isTrue();
        assertThat(schedules.runDue().stream().anyMatch(r -> r.customerId().equals(fixture.customerId())))
                .isFalse(); // not due again until January
        JsonNode schedule = api.asOps("GET", "/api/v1/schedules/" + fixture.customerId(), null).json();
        assertThat(schedule.get("nextRunAt").asText()).startsWith("2027-01-05T00:00:00-05:00");
    }

    @Test
    void oneCustomersFailingRunIsCountedAndTheOthersAreInvoiced() {
        Fixture failing = fixtures.fresh(); // invoice day 5, America/New_York, USD
        Fixture billed = fixtures.fresh();
        clock.set(Instant.parse("2031-04-06T12:00:00Z"));
        fixtures.apply(failing, "F-1;emp-1;FEES;10.00;2031-03-10");
        fixtures.apply(billed, "B-1;emp-1;FEES;20.00;2031-03-10");
        // A currency Java does not know makes the run fail inside its transaction, after the customer's lock.
        jdbc.sql("update customers set currency = 'ZZZ' where id = :c").param("c", failing.customerId()).update();
        double failedBefore = failedRuns(failing);
        try {
            List<InvoiceRun.Result> due = schedules.runDue();
            assertThat(due).noneMatch(r -> r.customerId().equals(failing.customerId()));
            assertThat(due).anyMatch(r -> r.customerId().equals(billed.customerId()) && r.created());
            assertThat(failedRuns(failing)).isEqualTo(failedBefore + 1);
            assertThat(api.metric("hub_invoice_runs_failed_total", "customer", billed.customerId())).isEmpty();
        } finally {
            jdbc.sql("update customers set currency = 'USD' where id = :c").param("c", failing.customerId()).update();
        }
        // Nothing of the failed run was kept: the next run invoices the customer, and the count stays.
        assertThat(schedules.runDue()).anyMatch(r -> r.customerId().equals(failing.customerId()) && r.created());
        assertThat(failedRuns(failing)).isEqualTo(failedBefore + 1);
    }

    private double failedRuns(Fixture fixture) {
        return api.metric("hub_invoice_runs_failed_total", "customer", fixture.customerId()).orElse(0);
    }

    @Test
    void aCustomerWithNothingToBillGetsNoInvoice() {
        Fixture fixture = fixtures.fresh();
        JsonNode run = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json();
        assertThat(run.get("invoiceId").isNull()).isTrue();
        assertThat(run.get("message").asText()).isEqualTo("nothing to bill");
    }

    @Test
    void anInvoiceIsDecidedExactlyOnceAndOnlyByItsCustomerOrOps() throws Exception {
        Fixture fixture = fixtures.fresh();
        Fixture other = fixtures.fresh();
        fixtures.apply(fixture, "D-1;emp-1;FEES;10.00;2026-10-10");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();

        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/deny", "{}").json().get("field").asText())
                .isEqualTo("reason");
        // Another customer's key: every invoice endpoint answers as if the invoice did not exist.
        String otherKey = Api.bearer(other.customerApiKey());
        assertThat(api.withAuthorization("GET", "/api/v1/invoices/" + invoiceId, null, otherKey).status())
                .isEqualTo(404);
        assertThat(api.withAuthorization("POST", "/api/v1/invoices/" + invoiceId + "/approve", null, otherKey)
                .status()).isEqualTo(404);
        assertThat(api.withAuthorization("POST", "/api/v1/invoices/" + invoiceId + "/deny", "{\"reason\":\"x\"}",
                otherKey).status()).isEqualTo(404);
        assertThat(api.withAuthorization("GET", "/api/v1/invoices?customerId=" + fixture.customerId(), null, otherKey)
                .json().get("items")).isEmpty();
        JsonNode own = api.withAuthorization("GET", "/api/v1/invoices", null, Api.bearer(fixture.customerApiKey()))
                .json();
        assertThat(own.get("items")).hasSize(1);
        assertThat(own.get("items").get(0).get("id").asLong()).isEqualTo(invoiceId);

        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> decisions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            decisions.add(pool.submit(() -> api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null)
                    .status()));
        }
        int approved = 0;
        for (Future<Integer> decision : decisions) {
            int status = decision.get();
            assertThat(status).isIn(200, 409);
            approved += status == 200 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(approved).isEqualTo(1);
        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json();
        assertThat(invoice.get("status").asText()).isIn("APPROVED", "DELIVERED");
        assertThat(invoice.get("decidedBy").asText()).isEqualTo("ops");
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/deny", "{\"reason\":\"late\"}").status())
                .isEqualTo(409);
        assertThat(invoiceCount(other)).isZero();
    }

    @Test
    void aDeniedInvoiceIsCorrectedAndReissuedAsANewRevision() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "C-1;emp-1;TUITION;100.00;2026-10-10", "C-2;emp-1;TUITION;50.00;2026-10-11",
                "C-3;emp-2;FEES;20.00;2026-10-12");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/reissue", null).status()).isEqualTo(409);
        api.withAuthorization("POST", "/api/v1/invoices/" + invoiceId + "/deny", "{\"reason\":\"C-2 is not ours\"}",
                Api.bearer(fixture.customerApiKey()));
        long c2 = itemId(fixture, "C-2");
        long c3 = itemId(fixture, "C-3");
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/corrections",
                "{\"lineItemId\":" + c2 + ",\"action\":\"EXCLUDE\"}").json().get("field").asText())
                .isEqualTo("reason");
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/corrections",
                "{\"lineItemId\":" + c3 + ",\"action\":\"ADJUST\",\"amount\":\"15.005\",\"reason\":\"x\"}")
                .json().get("field").asText()).isEqualTo("amount");
        api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/corrections",
                "{\"lineItemId\":" + c2 + ",\"action\":\"EXCLUDE\",\"reason\":\"not an Acme employee\"}");
        api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/corrections",
                "{\"lineItemId\":" + c3 + ",\"action\":\"ADJUST\",\"amount\":\"15.00\",\"reason\":\"agreed discount\"}");
        assertThat(api.withAuthorization("POST", "/api/v1/invoices/" + invoiceId + "/reissue", null,
                Api.bearer(fixture.customerApiKey())).status()).isEqualTo(403);

        JsonNode revision = api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/reissue", null).json();
        assertThat(revision.get("revision").asInt()).isEqualTo(2);
        assertThat(revision.get("previousInvoiceId").asLong()).isEqualTo(invoiceId);
        assertThat(revision.get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(revision.get("total").asText()).isEqualTo("115.00");
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/reissue", null).status()).isEqualTo(409);
        assertThat(api.asOps("GET", "/api/v1/invoices?status=PAID", null).json().get("field").asText())
                .isEqualTo("status");
        // The excluded item is back in the ledger, waiting for the next run.
        assertThat(jdbc.sql("select invoice_id from line_items where id = :id").param("id", c2)
                .query(Long.class).optional()).isEmpty();
        assertThat(api.asOps("GET", "/api/v1/audit?entity=invoice&id=" + invoiceId, null).json().get("items"))
                .anySatisfy(event -> assertThat(event.get("action").asText()).isEqualTo("invoice.item-exclude"));
    }

    private long itemId(Fixture fixture, String externalId) {
        return jdbc.sql("select id from line_items where partner_id = :p and external_id = :e")
                .param("p", fixture.partnerId()).param("e", externalId).query(Long.class).single();
    }

    private int invoiceCount(Fixture fixture) {
        return jdbc.sql("select count(*) from invoices where customer_id = :c").param("c", fixture.customerId())
                .query(Integer.class).single();
    }

    private static JsonNode line(JsonNode invoice, String user, String type) {
        for (JsonNode line : invoice.get("lines")) {
            if (line.get("customerUserId").asText().equals(user) && line.get("expenseType").asText().equals(type)) {
                return line;
            }
        }
        throw new AssertionError("no line " + user + " " + type + " in " + invoice);
    }
}
