package com.invoicehub.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SampleMasterData;

import com.fasterxml.jackson.databind.JsonNode;

/** An integration engineer checks a partner's sample before going live: every row's item and outcome, nothing applied. */
@HubIntegrationTest
class MappingDryRunTest {

    @Autowired
    Api api;
    @Autowired
    SampleMasterData samples;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    JdbcClient jdbc;

    @Test
    void everySampleMatchesExpectedAndTheLedgerIsUnchanged() {
        samples.ensure();
        JsonNode expected = SampleMasterData.read("expected.json").get("files");
        int before = ledgerSize();
        Map<String, String> files = Map.of("asu-online-2026-10.csv", "standard-csv",
                "northwind-2026-10.csv", "northwind-csv", "BRIGHTPATH.202610.DAT", "brightpath-fixed",
                "webhook-batch-2026-10.json", "canonical-json");
        files.forEach((file, mapping) -> {
            JsonNode report = api.uploadAsOps("/api/v1/mappings/" + mapping + "/dry-run", SampleMasterData.bytes(file))
                    .json();
            JsonNode want = expected.get(file);
            assertThat(report.get("refused").asBoolean()).as(file).isFalse();
            assertThat(report.get("rows").asInt()).as(file).isEqualTo(want.get("rows").asInt());
            assertThat(report.get("counts").get("APPLIED").asInt()).as(file).isEqualTo(want.get("applied").asInt());
            Map<String, String> rejected = new HashMap<>();
            report.get("items").forEach(item -> {
                if ("REJECTED".equals(item.get("outcome").asText())) {
                    rejected.put(item.get("externalId").asText(), item.get("reason").asText());
                }
            });
            Map<String, String> wanted = new HashMap<>();
            if (want.has("rejected")) {
                want.get("rejected").fields().forEachRemaining(e -> wanted.put(e.getKey(), e.getValue().asText()));
            }
            assertThat(rejected).as(file).isEqualTo(wanted);
        });
        JsonNode first = api.uploadAsOps("/api/v1/mappings/northwind-csv/dry-run",
                SampleMasterData.bytes("northwind-2026-10.csv")).json().get("items").get(0);
        assertThat(first.get("item").get("userName").asText()).isEqualTo("Margaret Berners-Lee");
        assertThat(first.get("item").get("amount").asText()).isEqualTo("217.25");

        JsonNode truncated = api.uploadAsOps("/api/v1/mappings/brightpath-fixed/dry-run",
                SampleMasterData.bytes("BRIGHTPATH.202610.TRUNCATED.DAT")).json();
        assertThat(truncated.get("refused").asBoolean()).isTrue();
        assertThat(truncated.get("refusal").asText()).contains("trailer");
        assertThat(ledgerSize()).isEqualTo(before);
    }

    @Test
    void withAPartnerRowsAreJudgedAgainstItsLedger() throws Exception {
        Fixture fixture = fixtures.fresh();
        var file = fixtures.csv(fixtures.rows(fixture, 3));
        ingestion.ingest(fixtures.incoming(fixture, "standard-csv", file));
        JsonNode report = api.uploadAsOps("/api/v1/mappings/standard-csv/dry-run?partnerId=" + fixture.partnerId(),
                Files.readAllBytes(file)).json();
        assertThat(report.get("counts").get("DUPLICATE").asInt()).isEqualTo(3);
        assertThat(api.uploadAsOps("/api/v1/mappings/no-such-layout/dry-run", new byte[0]).status()).isEqualTo(404);
    }

    private int ledgerSize() {
        return jdbc.sql("select count(*) from line_items").query(Integer.class).single();
    }
}
