package com.invoicehub.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
import com.invoicehub.support.TestData;

import com.fasterxml.jackson.databind.JsonNode;

@HubIntegrationTest
class ReplayAndLookupTest {

    @Autowired
    Api api;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    IngestSweep sweep;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aRecordRejectedForAnUnknownCustomerIsAppliedByReplayOnceTheCustomerExists() {
        Fixture fixture = fixtures.fresh();
        String missingCustomer = TestData.id("later");
        List<String> rows = new ArrayList<>(fixtures.rows(fixture, 3));
        rows.add(String.join(",", "LATE-1", missingCustomer, "emp-1", "Ada Lovelace", "TUITION", "1250.00", "USD",
                "2026-10-14", "MATH 101"));
        IngestResult result = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));
        assertThat(result.counts().get(Outcome.REJECTED)).isEqualTo(1);

        long recordId = recordId(result.fileId(), "LATE-1");
        JsonNode record = api.asOps("GET", "/api/v1/ingest/records/" + recordId, null).json();
        assertThat(record.get("raw").asText()).startsWith("LATE-1," + missingCustomer);
        assertThat(record.get("attempts").get(0).get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(record.get("attempts").get(0).get("reason").asText()).isEqualTo("UNKNOWN_CUSTOMER");
        assertThat(record.get("lineItemId").isNull()).isTrue();

        api.asOps("POST", "/api/v1/customers", TestData.customerJson(missingCustomer));

        JsonNode dryRun = api.asOps("POST", "/api/v1/ingest/records/" + recordId + "/replay?dryRun=true", null).json();
        assertThat(dryRun.get("dryRun").asBoolean()).isTrue();
        assertThat(dryRun.get("records").get(0).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(dryRun.get("records").get(0).get("changed").asBoolean()).isTrue();
        assertThat(api.asOps("GET", "/api/v1/ingest/records/" + recordId, null).json().get("attempts")).hasSize(1);
        assertThat(lineItems(missingCustomer)).isZero();

        JsonNode replay = api.asOps("POST", "/api/v1/ingest/records/" + recordId + "/replay", null).json();
        assertThat(replay.get("records").get(0).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(lineItems(missingCustomer)).isEqualTo(1);

        JsonNode after = api.asOps("GET", "/api/v1/ingest/records/" + recordId, null).json();
        assertThat(after.get("attempts")).hasSize(2);
        assertThat(after.get("attempts").get(1).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(after.get("lineItem").get("amount").asText()).isEqualTo("1250.00");
        assertThat(after.get("lineItem").get("customerId").asText()).isEqualTo(missingCustomer);

        // Replaying an applied record changes nothing, and adds no attempt.
        JsonNode again = api.asOps("POST", "/api/v1/ingest/records/" + recordId + "/replay", null).json();
        assertThat(again.get("records").get(0).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(again.get("records").get(0).get("changed").asBoolean()).isFalse();
        assertThat(lineItems(missingCustomer)).isEqualTo(1);
        assertThat(api.asOps("GET", "/api/v1/ingest/records/" + recordId, null).json().get("attempts")).hasSize(2);
        assertThat(api.asOps("GET", "/api/v1/audit?entity=record&id=" + recordId, null).json().get("items"))
                .hasSize(1);
    }

    @Test
    void aFileReplayDryRunListsOnlyWhatWouldChange() {
        Fixture fixture = fixtures.fresh();
        String missingCustomer = TestData.id("later");
        List<String> rows = new ArrayList<>(fixtures.rows(fixture, 4));
        rows.add(String.join(",", "LATE-2", missingCustomer, "emp-1", "Ada", "FEES", "12.00", "USD", "2026-10-14", ""));
        IngestResult result = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));
        api.asOps("POST", "/api/v1/customers", TestData.customerJson(missingCustomer));

        JsonNode dryRun = api.asOps("POST", "/api/v1/ingest/files/" + result.fileId() + "/replay?dryRun=true", null)
                .json();
        assertThat(dryRun.get("outcomes").get("APPLIED").asInt()).isEqualTo(5);
        assertThat(dryRun.get("records")).hasSize(1);
        assertThat(dryRun.get("records").get(0).get("externalId").asText()).isEqualTo("LATE-2");
        assertThat(lineItems(missingCustomer)).isZero();

        JsonNode replay = api.asOps("POST", "/api/v1/ingest/files/" + result.fileId() + "/replay", null).json();
        assertThat(replay.get("outcomes").get("APPLIED").asInt()).isEqualTo(5);
        assertThat(replay.get("records")).hasSize(1);
        assertThat(lineItems(missingCustomer)).isEqualTo(1);
        JsonNode file = api.asOps("GET", "/api/v1/ingest/files/" + result.fileId(), null).json();
        assertThat(file.get("counts").get("APPLIED").asInt()).isEqualTo(5); // latest attempt per record
        assertThat(file.get("counts").get("REJECTED").asInt()).isZero();
        assertThat(file.get("status").asText()).isEqualTo("DONE");
        assertThat(file.get("rows").asInt()).isEqualTo(5);
    }

    @Test
    void lookUpsFilterAndPage() {
        Fixture fixture = fixtures.fresh();
        List<String> rows = new ArrayList<>(fixtures.rows(fixture, 3));
        rows.add(String.join(",", "BAD-1", fixture.customerId(), "emp-1", "Ada", "PARKING", "1.00", "USD",
                "2026-10-14", ""));
        IngestResult result = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));

        JsonNode files = api.asOps("GET", "/api/v1/ingest/files?partnerId=" + fixture.partnerId(), null).json();
        assertThat(files.get("items")).hasSize(1);
        JsonNode file = files.get("items").get(0);
        assertThat(file.get("id").asLong()).isEqualTo(result.fileId());
        assertThat(file.get("channel").asText()).isEqualTo("SFTP");
        assertThat(file.get("sha256").asText()).hasSize(64);
        assertThat(file.get("counts").get("REJECTED").asInt()).isEqualTo(1);

        JsonNode rejected = api.asOps("GET", "/api/v1/ingest/attempts?partnerId=" + fixture.partnerId()
                + "&outcome=REJECTED", null).json();
        assertThat(rejected.get("items")).hasSize(1);
        assertThat(rejected.get("items").get(0).get("reason").asText()).isEqualTo("UNKNOWN_EXPENSE_TYPE");
        assertThat(rejected.get("items").get(0).get("fileId").asLong()).isEqualTo(result.fileId());

        JsonNode paged = api.asOps("GET", "/api/v1/ingest/attempts?partnerId=" + fixture.partnerId() + "&size=2", null)
                .json();
        assertThat(paged.get("items")).hasSize(2);
        JsonNode next = api.asOps("GET", "/api/v1/ingest/attempts?partnerId=" + fixture.partnerId() + "&size=2&cursor="
                + paged.get("next").asText(), null).json();
        assertThat(next.get("items")).hasSize(2);
        assertThat(next.get("next").isNull()).isTrue();

        String future = Instant.now().plusSeconds(3600).toString();
        assertThat(api.asOps("GET", "/api/v1/ingest/attempts?partnerId=" + fixture.partnerId() + "&from=" + future,
                null).json().get("items")).isEmpty();
        assertThat(api.asOps("GET", "/api/v1/ingest/attempts?outcome=MAYBE", null).json().get("field").asText())
                .isEqualTo("outcome");
        assertThat(api.asOps("GET", "/api/v1/ingest/records/999999999", null).status()).isEqualTo(404);
    }

    @Test
    void theSweepRetriesAnErrorOnceEvenWhenTwoNodesSweep() throws Exception {
        Fixture fixture = fixtures.fresh();
        IngestResult result = ingestion.ingest(fixtures.incoming(fixture, "standard-csv",
                fixtures.csv(List.of(String.join(",", "ERR-1", fixture.customerId(), "emp-1", "Ada", "TUITION",
                        "5.00", "USD", "2026-10-14", "x")))));
        long recordId = recordId(result.fileId(), "ERR-1");
        // The row hit a failure that was not its fault (say, a lost connection): an ERROR attempt, a minute old,
        // and no line item.
        jdbc.sql("delete from line_items where source_record_id = :id").param("id", recordId).update();
        jdbc.sql("update source_records set outcome = 'ERROR', message = 'connection lost', received_at = :at "
                        + "where id = :id")
                .param("id", recordId).param("at", Timestamp.from(Instant.now().minusSeconds(120))).update();

        Thread other = new Thread(sweep::sweep);
        other.start();
        sweep.sweep();
        other.join();

        List<String> outcomes = jdbc.sql("select outcome from attempts where source_record_id = :id order by id")
                .param("id", recordId).query(String.class).list();
        assertThat(outcomes).containsExactly("ERROR", "APPLIED");
        assertThat(jdbc.sql("select count(*) from line_items where source_record_id = :id").param("id", recordId)
                .query(Integer.class).single()).isEqualTo(1);
    }

    private long recordId(long fileId, String externalId) {
        return jdbc.sql("select id from source_records where source_file_id = :f and external_id = :e")
                .param("f", fileId).param("e", externalId).query(Long.class).single();
    }

    private int lineItems(String customerId) {
        return jdbc.sql("select count(*) from line_items where customer_id = :c").param("c", customerId)
                .query(Integer.class).single();
    }
}
