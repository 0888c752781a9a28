package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.SampleMasterData;
import com.invoicehub.support.SampleMonth;

/**
 * The sample month end to end: loaded the way partners send it, each customer's schedule triggered makes one
 * invoice whose total is the sum of the customer's applied sample rows, computed here straight from the sample
 * files (not from the hub's ledger); more triggers, also concurrent, make no second invoice; the reconciliation
 * report accounts for every record.
 */
@HubIntegrationTest
class SampleMonthInvoicingTest {

    @Autowired
    SampleMonth sampleMonth;
    @Autowired
    Schedules schedules;
    @Autowired
    Api api;

    /** An applied sample row, as the test reads it from the file itself. */
    private record Row(String externalId, String customerId, String amountText) {
        BigDecimal amount() {
            return new BigDecimal(amountText); // only applied rows are summed; a rejected one may not parse
        }
    }

    @Test
    void eachCustomerGetsOneInvoiceWithTheSumOfItsAppliedSampleRowsAndNothingIsUnexplained() throws Exception {
        sampleMonth.load();
        Map<String, BigDecimal> expectedTotals = new HashMap<>();
        Map<String, Integer> expectedCounts = new HashMap<>();
        for (Row row : appliedSampleRows()) {
            expectedTotals.merge(row.customerId(), row.amount(), BigDecimal::add);
            expectedCounts.merge(row.customerId(), 1, Integer::sum);
        }
        assertThat(expectedTotals).containsOnlyKeys("acme", "globex", "initech");

        for (String customer : expectedTotals.keySet()) {
            api.asOps("POST", "/api/v1/schedules/" + customer + "/trigger", null);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<InvoiceRun.Result>> again = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                again.add(pool.submit(() -> schedules.trigger(customer)));
            }
            for (Future<InvoiceRun.Result> run : again) {
                assertThat(run.get().created()).isFalse();
            }
            pool.shutdown();

            JsonNode invoices = api.asOps("GET", "/api/v1/invoices?customerId=" + customer, null).json().get("items");
            assertThat(invoices).as("invoices of " + customer).hasSize(1);
            JsonNode invoice = invoices.get(0);
            assertThat(new BigDecimal(invoice.get("total").asText()))
                    .as("total of " + customer).isEqualTo(expectedTotals.get(customer).setScale(2));
            int itemCount = 0;
            BigDecimal sumOfLines = BigDecimal.ZERO;
            for (JsonNode line : invoice.get("lines")) {
                itemCount += line.get("itemCount").asInt();
                sumOfLines = sumOfLines.add(new BigDecimal(line.get("total").asText()));
            }
            assertThat(itemCount).as("items of " + customer).isEqualTo(expectedCounts.get(customer));
            assertThat(sumOfLines).isEqualTo(new BigDecimal(invoice.get("total").asText()));
            assertThat(invoice.get("currency").asText()).isEqualTo(customer.equals("initech") ? "EUR" : "USD");
        }

        JsonNode reconciliation = api.asOps("GET", "/api/v1/reports/reconciliation?from="
                + sampleMonth.loadedFrom() + "&to=" + java.time.OffsetDateTime.now().plusSeconds(1), null).json();
        assertThat(reconciliation.get("records").get("unexplained").asLong()).as(reconciliation.toString()).isZero();
        assertThat(reconciliation.get("items").get("unexplained").asLong()).as(reconciliation.toString()).isZero();
        assertThat(reconciliation.get("differences")).isEmpty();
        int sampleRows = 240 + 7 + 160 + 120 + 25;
        assertThat(reconciliation.get("records").get("received").asLong()).isGreaterThanOrEqualTo(sampleRows);
    }

    /** Every row of the month that expected.json says is applied, read from the sample files by this test. */
    private static List<Row> appliedSampleRows() throws IOException {
        JsonNode expected = SampleMasterData.read("expected.json").get("files");
        List<Row> rows = new ArrayList<>();
        rows.addAll(notRejected(standardCsv("asu-online-2026-10.csv"), expected.get("asu-online-2026-10.csv")));
        JsonNode resend = expected.get("asu-online-2026-10-resend.csv");
        Set<String> notApplied = new HashSet<>();
        resend.get("duplicate").forEach(id -> notApplied.add(id.asText()));
        resend.get("conflict").forEach(id -> notApplied.add(id.asText()));
        standardCsv("asu-online-2026-10-resend.csv").stream().filter(row -> !notApplied.contains(row.externalId()))
                .forEach(rows::add);
        rows.addAll(notRejected(northwind(), expected.get("northwind-2026-10.csv")));
        rows.addAll(notRejected(brightpath(), expected.get("BRIGHTPATH.202610.DAT")));
        for (JsonNode item : SampleMasterData.read("webhook-batch-2026-10.json")) {
            rows.add(new Row(item.get("externalId").asText(), item.get("customerId").asText(),
                    item.get("amount").asText()));
        }
        return rows;
    }

    private static List<Row> notRejected(List<Row> rows, JsonNode expected) {
        Set<String> rejected = new HashSet<>();
        expected.get("rejected").fieldNames().forEachRemaining(rejected::add);
        List<Row> applied = rows.stream().filter(row -> !rejected.contains(row.externalId())).toList();
        assertThat(applied).hasSize(expected.get("applied").asInt());
        return applied;
    }

    private static List<Row> standardCsv(String name) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text(name)))) {
            rows.add(new Row(record.get("external_id"), record.get("customer_id"), record.get("amount")));
        }
        return rows;
    }

    private static List<Row> northwind() throws IOException {
        List<Row> rows = new ArrayList<>();
        String text = text("northwind-2026-10.csv").replace("\uFEFF", "");
        for (CSVRecord record : CSVFormat.RFC4180.builder().setDelimiter(';').setHeader().setSkipHeaderRecord(true)
                .get().parse(new StringReader(text))) {
            String amount = record.get("Amount").replace(".", "").replace(',', '.');
            rows.add(new Row(record.get("Invoice Ref"), record.get("Employer Code").toLowerCase(Locale.ROOT),
                    amount));
        }
        return rows;
    }

    private static List<Row> brightpath() {
        List<Row> rows = new ArrayList<>();
        for (String line : text("BRIGHTPATH.202610.DAT").split("\n")) {
            if (line.startsWith("D")) {
                String cents = line.substring(75, 86);
                String amount = cents.matches("[0-9]+")
                        ? new BigDecimal(cents).movePointLeft(2).toPlainString() : cents;
                rows.add(new Row(line.substring(1, 13).strip(), line.substring(13, 23).strip().toLowerCase(Locale.ROOT),
                        (line.charAt(86) == '-' ? "-" : "") + amount));
            }
        }
        return rows;
    }

    private static String text(String name) {
        return new String(SampleMasterData.bytes(name), StandardCharsets.UTF_8);
    }
}
