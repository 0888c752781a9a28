package com.invoicehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.SampleMasterData;
import com.invoicehub.support.SampleMonth;

/** The sample files, dropped by a real SFTP client into the partners' inboxes, end as expected.json says. */
@HubIntegrationTest
class SftpIngestionTest {

    @Autowired
    SampleMonth sampleMonth;
    @Autowired
    JdbcClient jdbc;

    @Test
    void asuMonthThenItsResend() throws Exception {
        JsonNode expected = SampleMasterData.read("expected.json").get("files");

        long month = sampleMonth.load().get("asu-online-2026-10.csv");
        assertMatches(month, expected.get("asu-online-2026-10.csv"));
        String results = sampleMonth.download("asu-online", "/outbox/asu-online-2026-10.csv.results.csv");
        assertThat(results.lines().findFirst()).hasValue("row,externalId,outcome,reason,message");
        assertThat(results).contains("12,ASU-202610-000011,REJECTED,UNKNOWN_CUSTOMER,");
        assertThat(results.lines().count()).isEqualTo(1 + 240);

        long resend = sampleMonth.load().get("asu-online-2026-10-resend.csv");
        Map<String, String> outcomes = outcomesByExternalId(resend);
        JsonNode resendExpected = expected.get("asu-online-2026-10-resend.csv");
        resendExpected.get("duplicate").forEach(id -> assertThat(outcomes.get(id.asText())).isEqualTo("DUPLICATE"));
        resendExpected.get("conflict").forEach(id -> assertThat(outcomes.get(id.asText())).isEqualTo("CONFLICT"));
        assertThat(outcomes.values().stream().filter("APPLIED"::equals).count())
                .isEqualTo(resendExpected.get("applied").asLong());
        assertThat(outcomes).hasSize(7);
        // The conflicting row changed nothing: the ledger keeps the first amount.
        assertThat(jdbc.sql("select amount from line_items where partner_id = 'asu-online' "
                + "and external_id = 'ASU-202610-000003'").query(java.math.BigDecimal.class).single())
                .isEqualByComparingTo("102.02");
    }

    @Test
    void northwindAndBrightpathSamples() throws Exception {
        JsonNode expected = SampleMasterData.read("expected.json").get("files");
        assertMatches(sampleMonth.load().get("northwind-2026-10.csv"), expected.get("northwind-2026-10.csv"));
        assertMatches(sampleMonth.load().get("BRIGHTPATH.202610.DAT"), expected.get("BRIGHTPATH.202610.DAT"));
        assertThat(sampleMonth.exists("northwind-university", "/processed/northwind-2026-10.csv")).isTrue();
        // Customer users are learned from applied items, with their latest name.
        assertThat(jdbc.sql("select name from customer_users where customer_id = 'acme' and id = 'emp-7022'")
                .query(String.class).optional()).isPresent();
    }

    @Test
    void truncatedFileLandsInFailedWithItsReasonAndAppliesNothing() throws Exception {
        String name = SampleMonth.TRUNCATED;
        String partner = "brightpath-tutoring";
        long fileId = sampleMonth.load().get(name);
        String reason = sampleMonth.download(partner, "/failed/" + name + ".error.txt");
        assertThat(reason).contains("trailer");
        assertThat(sampleMonth.exists(partner, "/inbox/" + name)).isFalse();

        Map<String, Object> file = jdbc.sql("select id, status, failure_reason, archive_key from source_files "
                + "where id = :id").param("id", fileId).query().singleRow();
        assertThat(file.get("status")).isEqualTo("FAILED");
        assertThat((String) file.get("failure_reason")).contains("trailer");
        assertThat(file.get("archive_key")).isNotNull();
        assertThat(jdbc.sql("select count(*) from source_records where source_file_id = :id")
                .param("id", file.get("id")).query(Integer.class).single()).isZero();
    }

    private void assertMatches(long fileId, JsonNode expected) {
        Map<String, String> outcomes = outcomesByExternalId(fileId);
        assertThat(outcomes).hasSize(expected.get("rows").asInt());
        assertThat(outcomes.values().stream().filter("APPLIED"::equals).count())
                .isEqualTo(expected.get("applied").asLong());
        Map<String, String> reasons = new HashMap<>();
        jdbc.sql("""
                        select r.external_id, a.reason_code from attempts a
                        join source_records r on r.id = a.source_record_id
                        where r.source_file_id = :file and a.outcome = 'REJECTED'""")
                .param("file", fileId).query(rs -> {
                    reasons.put(rs.getString(1), rs.getString(2));
                });
        Map<String, String> expectedReasons = new HashMap<>();
        expected.get("rejected").fields().forEachRemaining(e -> expectedReasons.put(e.getKey(), e.getValue().asText()));
        assertThat(reasons).isEqualTo(expectedReasons);
    }

    private Map<String, String> outcomesByExternalId(long fileId) {
        Map<String, String> outcomes = new HashMap<>();
        jdbc.sql("""
                        select r.external_id, a.outcome from attempts a
                        join source_records r on r.id = a.source_record_id
                        where r.source_file_id = :file""")
                .param("file", fileId).query(rs -> {
                    outcomes.put(rs.getString(1), rs.getString(2));
                });
        return outcomes;
    }
}
