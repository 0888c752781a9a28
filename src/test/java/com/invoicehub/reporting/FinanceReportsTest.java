package com.invoicehub.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

/** Finance's reports over a window that only this test writes into (the clock is moved to a quiet day). */
@HubIntegrationTest
class FinanceReportsTest {

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

    @Autowired
    com.invoicehub.ingest.pipeline.SourceFiles sourceFiles;
    @Autowired
    com.invoicehub.ingest.channels.InboxWatch inboxWatch;
    @Autowired
    software.amazon.awssdk.services.s3.S3Client s3;
    @Autowired
    com.invoicehub.platform.HubProperties hub;
    @Autowired
    software.amazon.awssdk.services.sqs.SqsClient sqsClient;
    @Autowired
    com.invoicehub.support.SqsMessages sqsMessages;
    @Autowired
    FinanceReports reports;
    @Autowired
    ReconciliationMetrics reconciliationMetrics;

    @Test
    void matchRateOutstandingAndAReconciliationWithNothingUnexplained() {
        Fixture fixture = fixtures.fresh();
        Instant day = Instant.parse("2026-08-17T10:00:00Z").plus((System.nanoTime() % 500) * 7, ChronoUnit.DAYS);
        clock.set(day);
        List<String> rows = new ArrayList<>(fixtures.rows(fixture, 4));
        rows.add(String.join(",", "BAD-1", fixture.customerId(), "emp-1", "Ada", "PARKING", "1.00", "USD",
                "2026-10-14", ""));
        ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));
        ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows.subList(0, 2))));
        String from = day.minusSeconds(60).toString();
        String to = day.plusSeconds(60).toString();

        JsonNode rate = api.asOps("GET", "/api/v1/reports/match-rate?from=" + from + "&to=" + to + "&partnerId="
                + fixture.partnerId(), null).json();
        assertThat(rate.get("attempts").get("APPLIED").asInt()).isEqualTo(4);
        assertThat(rate.get("attempts").get("DUPLICATE").asInt()).isEqualTo(2);
        assertThat(rate.get("attempts").get("REJECTED").asInt()).isEqualTo(1);
        assertThat(rate.get("total").asInt()).isEqualTo(7);
        assertThat(rate.get("matchRate").decimalValue()).isEqualByComparingTo("0.8571");

        JsonNode outstanding = api.asOps("GET", "/api/v1/reports/outstanding?asOf=" + to, null).json();
        JsonNode mine = null;
        for (JsonNode customer : outstanding.get("items")) {
            if (customer.get("customerId").asText().equals(fixture.customerId())) {
                mine = customer;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("notInvoiced").get("items").asInt()).isEqualTo(4);
        assertThat(mine.get("notInvoiced").get("total").asText()).isEqualTo("50.00"); // 11 + 12 + 13 + 14

        JsonNode reconciliation = api.asOps("GET", "/api/v1/reports/reconciliation?from=" + from + "&to=" + to, null)
                .json();
        JsonNode records = reconciliation.get("records");
        assertThat(records.get("received").asInt()).isEqualTo(7);
        assertThat(records.get("applied").asInt()).isEqualTo(4);
        assertThat(records.get("duplicate").asInt()).isEqualTo(2);
        assertThat(records.get("rejected").asInt()).isEqualTo(1);
        assertThat(records.get("unexplained").asInt()).isZero();
        assertThat(reconciliation.get("items").get("applied").asInt()).isEqualTo(4);
        assertThat(reconciliation.get("items").get("waiting").asInt()).isEqualTo(4);
        assertThat(reconciliation.get("items").get("unexplained").asInt()).isZero();
        assertThat(reconciliation.get("differences")).isEmpty();

        // A record whose latest attempt says APPLIED while the ledger lost its item is listed, not hidden.
        jdbc.sql("delete from line_items where partner_id = :p and external_id = :e")
                .param("p", fixture.partnerId()).param("e", fixture.partnerId() + "-1").update();
        JsonNode broken = api.asOps("GET", "/api/v1/reports/reconciliation?from=" + from + "&to=" + to, null).json();
        assertThat(broken.get("records").get("unexplained").asInt()).isEqualTo(1);
        assertThat(broken.get("differences").get(0).asText()).contains("holds no line item");
    }

    @Test
    void aReceiptStuckPastItsLeaseAndAFileLeftInAnInboxAreUnexplained() {
        Fixture fixture = fixtures.fresh();
        Instant day = Instant.parse("2026-07-17T10:00:00Z").minus((System.nanoTime() % 500) * 7, ChronoUnit.DAYS);
        clock.set(day);
        long stuck = sourceFiles.record(fixtures.incoming(fixture, "standard-csv",
                fixtures.csv(fixtures.rows(fixture, 2))), 1, "0".repeat(64)).id();
        // A node took it and died: the lease ran out and nothing moved since.
        jdbc.sql("update source_files set status = 'PROCESSING', lease_owner = 'dead-node/run', lease_until = :at, "
                        + "updated_at = :at where id = :id")
                .param("at", java.sql.Timestamp.from(day.plusSeconds(1))).param("id", stuck).update();
        clock.set(day.plusSeconds(600));

        JsonNode reconciliation = api.asOps("GET", "/api/v1/reports/reconciliation?from=" + day.minusSeconds(60)
                + "&to=" + day.plusSeconds(60), null).json();
        assertThat(reconciliation.get("receipts").get("stuck").asInt()).isEqualTo(1);
        assertThat(reconciliation.get("receipts").get("unexplained").asInt()).isEqualTo(1);
        assertThat(reconciliation.get("differences").toString()).contains("files " + stuck);

        // Prometheus sees the same month's figures as the console's overview, once the background refresh ran.
        reconciliationMetrics.refreshStuck();
        reconciliationMetrics.refreshReconciliation();
        ReconciliationMetrics.Month month = ReconciliationMetrics.Month.of(clock.instant());
        FinanceReports.Reconciliation thisMonth = reports.reconciliation(month.from(), month.to());
        assertThat(thisMonth.receipts().stuck()).isPositive();
        assertThat(api.metric("hub_ingest_receipts_stuck")).hasValue(thisMonth.receipts().stuck());
        assertThat(api.metric("hub_reconciliation_unexplained", "account", "receipts"))
                .hasValue(thisMonth.receipts().unexplained());
        assertThat(api.metric("hub_reconciliation_unexplained", "account", "records"))
                .hasValue(thisMonth.records().unexplained());

        // A message in the dead-letter queue counts until ops redrive or remove it.
        sqsClient.sendMessage(b -> b.queueUrl(sqsMessages.deadLetterQueueUrl()).messageBody("{}"));
        try {
            JsonNode withDeadLetter = api.asOps("GET", "/api/v1/reports/reconciliation?from=" + day.minusSeconds(60)
                    + "&to=" + day.plusSeconds(60), null).json();
            assertThat(withDeadLetter.get("receipts").get("deadLetters").asInt()).isEqualTo(1);
            assertThat(withDeadLetter.get("receipts").get("unexplained").asInt()).isEqualTo(2);
            assertThat(withDeadLetter.get("differences").toString()).contains("dead-letter queue");
        } finally {
            sqsMessages.clearDeadLetters();
        }

        // A file in a partner's S3 drop that no route takes: listed once it is older than the limit.
        s3.putObject(b -> b.bucket(hub.s3().dropBucket()).key(fixture.partnerId() + "/forgotten.csv"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("external_id\n"));
        try {
            assertThat(inboxWatch.waitingLongerThan(java.time.Duration.ZERO).waiting())
                    .anyMatch(file -> file.location().endsWith(fixture.partnerId() + "/forgotten.csv"));
            assertThat(inboxWatch.waitingLongerThan(java.time.Duration.ofMinutes(15)).waiting())
                    .noneMatch(file -> file.location().endsWith(fixture.partnerId() + "/forgotten.csv"));
            assertThat(inboxWatch.waitingLongerThan(java.time.Duration.ZERO).unreadable()).isEmpty();
        } finally {
            s3.deleteObject(b -> b.bucket(hub.s3().dropBucket()).key(fixture.partnerId() + "/forgotten.csv"));
        }
    }

    @Test
    void everyInvoiceAddsUpAndEachPlantedBreachIsListedWithItsIds() {
        Fixture fixture = fixtures.fresh(); // invoice day 5, USD
        Instant day = Instant.parse("2027-03-17T10:00:00Z").plus((System.nanoTime() % 500) * 7, ChronoUnit.DAYS);
        clock.set(day);
        String served = day.minus(45, ChronoUnit.DAYS).toString().substring(0, 10);
        fixtures.apply(fixture, "R-1;emp-1;TUITION;10.00;" + served, "R-2;emp-1;TUITION;20.00;" + served,
                "R-3;emp-2;FEES;5.00;" + served);
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        long item = jdbc.sql("select id from line_items where partner_id = :p and external_id = 'R-2'")
                .param("p", fixture.partnerId()).query(Long.class).single();
        String window = "/api/v1/reports/reconciliation?from=" + day.minusSeconds(60) + "&to=" + day.plusSeconds(60);

        JsonNode clean = api.asOps("GET", window, null).json();
        assertThat(clean.get("invoices").get("checked").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(clean.get("invoices").get("unexplained").asInt()).isZero();
        assertThat(mine(clean, invoiceId)).isEmpty();

        // A total that is not the sum of its lines.
        jdbc.sql("update invoices set total = total + 1 where id = :id").param("id", invoiceId).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId)).singleElement().asString()
                    .contains("total 36.0000 but its lines sum to 35.0000");
            assertThat(report.get("invoices").get("unexplained").asInt()).isEqualTo(1);
        } finally {
            jdbc.sql("update invoices set total = total - 1 where id = :id").param("id", invoiceId).update();
        }

        // An item counted in a line of the invoice but no longer billed to it.
        jdbc.sql("update line_items set invoice_id = null where id = :id").param("id", item).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId)).singleElement().asString()
                    .contains("line item " + item + " is counted in line").contains("billed to no invoice");
            assertThat(report.get("invoices").get("unexplained").asInt()).isEqualTo(1);
        } finally {
            jdbc.sql("update line_items set invoice_id = :invoice where id = :id").param("invoice", invoiceId)
                    .param("id", item).update();
        }

        // An item billed in another currency than the invoice's.
        jdbc.sql("update line_items set currency = 'EUR' where id = :id").param("id", item).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId)).singleElement().asString()
                    .contains("line item " + item + " is in EUR but the invoice in USD");
            assertThat(report.get("invoices").get("unexplained").asInt()).isEqualTo(1);
        } finally {
            jdbc.sql("update line_items set currency = 'USD' where id = :id").param("id", item).update();
        }

        // Two lines whose totals were swapped about: the invoice still adds up, each line does not.
        List<Long> lines = jdbc.sql("select id from invoice_lines where invoice_id = :id order by id")
                .param("id", invoiceId).query(Long.class).list();
        assertThat(lines).hasSize(2);
        jdbc.sql("update invoice_lines set total = total + case when id = :a then 5 else -5 end where id in (:a, :b)")
                .param("a", lines.get(0)).param("b", lines.get(1)).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId)).hasSize(2)
                    .anySatisfy(d -> assertThat(d).contains("line " + lines.get(0) + " says"))
                    .anySatisfy(d -> assertThat(d).contains("line " + lines.get(1) + " says"));
        } finally {
            jdbc.sql("update invoice_lines set total = total - case when id = :a then 5 else -5 end "
                    + "where id in (:a, :b)").param("a", lines.get(0)).param("b", lines.get(1)).update();
        }

        // The lost item: billed to the invoice (so never billed again) but counted in none of its lines.
        Map<String, Object> counted = jdbc.sql("select invoice_line_id, amount from invoice_line_items "
                + "where invoice_id = :invoice and line_item_id = :item")
                .param("invoice", invoiceId).param("item", item).query().singleRow();
        jdbc.sql("delete from invoice_line_items where invoice_id = :invoice and line_item_id = :item")
                .param("invoice", invoiceId).param("item", item).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId))
                    .anySatisfy(d -> assertThat(d).contains("line item " + item + " is billed to it but counted in 0 "
                            + "of its lines"))
                    .anySatisfy(d -> assertThat(d).contains("its lines sum to 35.0000 over 3 items but its line "
                            + "items to 15.0000 over 2"));
        } finally {
            jdbc.sql("insert into invoice_line_items (invoice_id, line_item_id, invoice_line_id, amount) "
                            + "values (:invoice, :item, :line, :amount)")
                    .param("invoice", invoiceId).param("item", item).param("line", counted.get("invoice_line_id"))
                    .param("amount", counted.get("amount")).update();
        }

        // An amount counted other than the item's, with no correction saying why.
        jdbc.sql("update invoice_line_items set amount = amount + 1 where invoice_id = :invoice and line_item_id = :item")
                .param("invoice", invoiceId).param("item", item).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId)).anySatisfy(d -> assertThat(d).contains("line item " + item
                    + " is counted at 21.0000 but is 20.0000, with no correction saying why"));
        } finally {
            jdbc.sql("update invoice_line_items set amount = amount - 1 "
                    + "where invoice_id = :invoice and line_item_id = :item")
                    .param("invoice", invoiceId).param("item", item).update();
        }

        // A line item counted by the invoice that the ledger no longer holds (no foreign key guards it since V24).
        Map<String, Object> row = jdbc.sql("select * from line_items where id = :id").param("id", item).query()
                .singleRow();
        jdbc.sql("delete from line_items where id = :id").param("id", item).update();
        try {
            JsonNode report = api.asOps("GET", window, null).json();
            assertThat(mine(report, invoiceId)).anySatisfy(d -> assertThat(d).contains("line item " + item
                    + " is counted in line").contains("the ledger holds no such item"));
        } finally {
            jdbc.sql("insert into line_items (" + String.join(", ", row.keySet()) + ") values ("
                    + String.join(", ", row.keySet().stream().map(column -> ":" + column).toList()) + ")")
                    .params(row).update();
        }

        assertThat(mine(api.asOps("GET", window, null).json(), invoiceId)).isEmpty();
    }

    private static List<String> mine(JsonNode reconciliation, long invoiceId) {
        List<String> differences = new ArrayList<>();
        reconciliation.get("differences").forEach(d -> {
            if (d.asText().startsWith("invoice " + invoiceId + ":")) {
                differences.add(d.asText());
            }
        });
        return differences;
    }
}
