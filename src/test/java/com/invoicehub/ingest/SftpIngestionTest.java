package com.invoicehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.platform.localstack.EmbeddedSftpServer;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.SampleMasterData;
import com.invoicehub.support.SftpSession;

/** The sample files, dropped by a real SFTP client into the partners' inboxes, end as expected.json says. */
@HubIntegrationTest
class SftpIngestionTest {

    @Autowired
    SampleMasterData samples;
    @Autowired
    EmbeddedSftpServer sftpServer;
    @Autowired
    JdbcClient jdbc;

    @Test
    void asuMonthThenItsResend() throws Exception {
        JsonNode expected = SampleMasterData.read("expected.json").get("files");

        long month = dropAndAwait("asu-online", "asu-online-2026-10.csv");
        assertMatches(month, expected.get("asu-online-2026-10.csv"));
        String results = download("asu-online", "/outbox/asu-online-2026-10.csv.results.csv");
        assertThat(results.lines().findFirst()).hasValue("row,externalId,outcome,reason,message");
        assertThat(results).contains("12,ASU-202610-000011,REJECTED,UNKNOWN_CUSTOMER,");
        assertThat(results.lines().count()).isEqualTo(1 + 240);

        long resend = dropAndAwait("asu-online", "asu-online-2026-10-resend.csv");
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
        assertMatches(dropAndAwait("northwind-university", "northwind-2026-10.csv"),
                expected.get("northwind-2026-10.csv"));
        assertMatches(dropAndAwait("brightpath-tutoring", "BRIGHTPATH.202610.DAT"),
                expected.get("BRIGHTPATH.202610.DAT"));
        // Customer users are learned from applied items, with their latest name.
        assertThat(jdbc.sql("select name from customer_users where customer_id = 'acme' and id = 'emp-7022'")
                .query(String.class).optional()).isPresent();
    }

    @Test
    void truncatedFileLandsInFailedWithItsReasonAndAppliesNothing() throws Exception {
        String name = "BRIGHTPATH.202610.TRUNCATED.DAT";
        upload("brightpath-tutoring", name, SampleMasterData.bytes(name));
        String partner = "brightpath-tutoring";
        await().atMost(Duration.ofSeconds(30)).until(() -> exists(partner, "/failed/" + name));
        String reason = download(partner, "/failed/" + name + ".error.txt");
        assertThat(reason).contains("trailer");
        assertThat(exists(partner, "/inbox/" + name)).isFalse();

        Map<String, Object> file = jdbc.sql("select id, status, failure_reason, archive_key from source_files "
                + "where partner_id = :p and name = :n order by id desc limit 1")
                .param("p", partner).param("n", name).query().singleRow();
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

    /** Uploads as the partner would (to a temporary name, then renamed) and waits until the hub has moved it. */
    private long dropAndAwait(String partner, String name) throws IOException {
        upload(partner, name, SampleMasterData.bytes(name));
        await().atMost(Duration.ofSeconds(60)).until(() -> exists(partner, "/processed/" + name)
                && exists(partner, "/outbox/" + name + ".results.csv"));
        return jdbc.sql("select id from source_files where partner_id = :p and name = :n and status = 'DONE' "
                        + "order by id desc limit 1")
                .param("p", partner).param("n", name).query(Long.class).single();
    }

    private void upload(String partner, String name, byte[] content) throws IOException {
        try (SftpSession session = login(partner)) {
            SftpClient sftp = session.sftp();
            for (String stale : List.of("/processed/" + name, "/outbox/" + name + ".results.csv")) {
                if (existsIn(sftp, stale)) {
                    sftp.remove(stale);
                }
            }
            try (OutputStream out = sftp.write("/inbox/" + name + ".part")) {
                out.write(content);
            }
            sftp.rename("/inbox/" + name + ".part", "/inbox/" + name);
        }
    }

    private boolean exists(String partner, String path) throws IOException {
        try (SftpSession session = login(partner)) {
            return existsIn(session.sftp(), path);
        }
    }

    private static boolean existsIn(SftpClient sftp, String path) {
        try {
            sftp.stat(path);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String download(String partner, String path) throws IOException {
        try (SftpSession session = login(partner); var in = session.sftp().read(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private SftpSession login(String partner) throws IOException {
        return SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), partner,
                samples.sftpPassword(partner));
    }
}
