package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.CrashingMapping;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.TestData;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Money keeps its currency between a customer's currency change, the ingest that judged items against the old one
 * and the invoice run: an item is billed only in its own currency, never relabelled.
 */
@HubIntegrationTest
class MoneyKeepsItsCurrencyTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    CrashingMapping crashing;
    @Autowired
    Api api;
    @Autowired
    JdbcClient jdbc;

    @Test
    void itemsJudgedInTheOldCurrencyAreRefusedWhenTheCurrencyChangedWhileTheFileWasRead() throws Exception {
        Fixture fixture = fixtures.fresh(); // USD
        var incoming = fixtures.incoming(fixture, CrashingMapping.NAME, fixtures.csv(fixtures.rows(fixture, 60)));
        CountDownLatch resume = new CountDownLatch(1);
        crashing.pauseOnceAtRow(2, resume); // the first row after the header
        ExecutorService node = Executors.newSingleThreadExecutor();
        try {
            Future<IngestResult> run = node.submit(() -> ingestion.ingest(incoming));
            assertThat(crashing.awaitPaused(20)).as("the run has opened the file").isTrue();
            // Nothing is owed yet, so the change is allowed; the run has already judged by USD.
            Api.Response changed = api.asOps("PUT", "/api/v1/customers/" + fixture.customerId(),
                    TestData.customerJson(fixture.customerId()).replace("\"currency\":\"USD\"", "\"currency\":\"EUR\""));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            resume.countDown();
            IngestResult result = run.get(60, TimeUnit.SECONDS);

            assertThat(result.counts().get(Outcome.REJECTED)).isEqualTo(60);
            assertThat(result.counts().getOrDefault(Outcome.APPLIED, 0)).isZero();
            assertThat(jdbc.sql("select count(*) from line_items where customer_id = :c")
                    .param("c", fixture.customerId()).query(Long.class).single()).isZero();
            List<String> reasons = jdbc.sql("""
                            select distinct a.reason_code || ': ' || a.message from attempts a
                            join source_records r on r.id = a.source_record_id
                            where r.partner_id = :p""")
                    .param("p", fixture.partnerId()).query(String.class).list();
            assertThat(reasons).singleElement().asString().startsWith("CURRENCY_MISMATCH: currency USD differs from "
                    + "EUR, the currency customer " + fixture.customerId() + " is invoiced in");
        } finally {
            resume.countDown();
            node.shutdownNow();
        }
    }

    @Test
    void theRunBillsOnlyItemsInTheInvoiceCurrencyAndTheReconciliationListsTheOthers() {
        Fixture fixture = fixtures.fresh(); // USD
        fixtures.apply(fixture, "M-1;emp-1;TUITION;100.00;2026-10-10", "M-2;emp-1;TUITION;30.00;2026-10-11",
                "M-3;emp-2;FEES;7.50;2026-10-12");
        // An item in another currency, as a write that bypassed the rules would have left it.
        long stray = jdbc.sql("update line_items set currency = 'EUR' where partner_id = :p and external_id = 'M-2' "
                        + "returning id")
                .param("p", fixture.partnerId()).query(Long.class).single();

        Api.Response run = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        JsonNode invoice = api.asOps("GET", "/api/v1/invoices/" + run.json().get("invoiceId").asLong(), null).json();
        assertThat(invoice.get("currency").asText()).isEqualTo("USD");
        assertThat(invoice.get("total").asText()).isEqualTo("107.50");
        assertThat(jdbc.sql("select invoice_id from line_items where id = :id").param("id", stray)
                .query(Long.class).optional()).isEmpty();

        java.time.Instant applied = jdbc.sql("select applied_at from line_items where id = :id").param("id", stray)
                .query(java.sql.Timestamp.class).single().toInstant();
        String window = "/api/v1/reports/reconciliation?from=" + applied.minusSeconds(60) + "&to="
                + applied.plusSeconds(60);
        JsonNode reconciliation = api.asOps("GET", window, null).json();
        assertThat(reconciliation.get("differences").toString()).contains("line item " + stray + " waits in EUR but "
                + "customer " + fixture.customerId() + " is invoiced in USD");
        assertThat(reconciliation.get("items").get("unexplained").asInt()).isPositive();
        // Put back as it was sent, so the ledger holds what its record applied.
        jdbc.sql("update line_items set currency = 'USD' where id = :id").param("id", stray).update();
    }

    @Test
    void aDeniedInvoiceNotYetReissuedHoldsTheCurrency() {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "D-1;emp-1;TUITION;100.00;2026-10-10");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/deny", "{\"reason\":\"wrong course\"}")
                .status()).isEqualTo(200);

        Api.Response refused = api.asOps("PUT", "/api/v1/customers/" + fixture.customerId(),
                TestData.customerJson(fixture.customerId()).replace("\"currency\":\"USD\"", "\"currency\":\"JPY\""));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("undecidedInvoices").get("ids").get(0).asLong()).isEqualTo(invoiceId);
        assertThat(refused.json().get("message").asText()).contains("awaiting approval or a re-issue");
    }
}
