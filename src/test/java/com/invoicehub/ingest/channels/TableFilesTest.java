package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.SampleMasterData;
import com.invoicehub.support.SftpSession;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The spreadsheet and Word samples (binary files) through the real pipeline by SFTP and by S3: each ends with the
 * outcomes its expected.json lists, its results file and the original moved to processed/, and a dry-run replay of
 * the file reads every kept row again to the same outcome.
 */
@HubIntegrationTest
class TableFilesTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    SampleMasterData masterData;
    @Autowired
    Api api;
    @Autowired
    PartnerSftpServer sftpServer;
    @Autowired
    S3Client s3;
    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest(name = "{1} by {2}")
    @CsvSource({
            "standardxlsx, asu-online-2026-10.xlsx, sftp",
            "standardxlsx, asu-online-2026-10.xlsx, s3",
            "statementdocx, brightpath-statement-2026-10.docx, sftp",
            "statementdocx, brightpath-statement-2026-10.docx, s3"})
    void endsAsExpectedJsonSays(String folder, String file, String channel) throws Exception {
        String resources = "/com/invoicehub/mappings/" + folder + "/";
        JsonNode expected;
        byte[] content;
        try (InputStream json = getClass().getResourceAsStream(resources + "expected.json");
             InputStream sample = getClass().getResourceAsStream(resources + file)) {
            expected = new ObjectMapper().readTree(json).get("files").get(file);
            content = sample.readAllBytes();
        }
        masterData.ensure(); // the samples' customers: acme, globex, initech (umbrella stays unknown)
        String partner = fixtures.fresh().partnerId();
        fixtures.declareWithMapping(partner, expected.get("mapping").asText(), channel);

        if (channel.equals("sftp")) {
            String password = api.asOps("POST", "/api/v1/partners/" + partner + "/rotate-credentials", null).json()
                    .get("sftpPassword").asText();
            try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(),
                    partner, password)) {
                try (OutputStream out = session.sftp().write("/inbox/" + file + ".part")) {
                    out.write(content);
                }
                session.sftp().rename("/inbox/" + file + ".part", "/inbox/" + file);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> exists(partner, password, "/processed/" + file)
                    && exists(partner, password, "/outbox/" + file + ".results.csv"));
        } else {
            s3.putObject(b -> b.bucket("partner-drops").key(partner + "/" + file), RequestBody.fromBytes(content));
            await().atMost(Duration.ofSeconds(60)).until(() -> s3Exists(partner + "/processed/" + file)
                    && s3Exists(partner + "/outbox/" + file + ".results.csv"));
        }

        Map<String, Object> receipt = jdbc.sql("select id, status from source_files where partner_id = :p")
                .param("p", partner).query().singleRow();
        assertThat(receipt.get("status")).isEqualTo("DONE");
        long fileId = ((Number) receipt.get("id")).longValue();
        Map<String, String> outcomes = outcomes(fileId);
        assertThat(outcomes).hasSize(expected.get("rows").asInt());
        Map<String, String> rejected = new LinkedHashMap<>();
        expected.get("rejected").fields().forEachRemaining(e -> rejected.put(e.getKey(), "REJECTED "
                + e.getValue().asText()));
        Map<String, String> notApplied = new HashMap<>(outcomes);
        notApplied.values().removeIf("APPLIED "::equals);
        assertThat(notApplied).isEqualTo(rejected);
        assertThat(outcomes.values().stream().filter("APPLIED "::equals).count())
                .isEqualTo(expected.get("applied").asLong());

        // Replay reads each kept row (its typed cells' JSON) again: the same outcome, nothing changed.
        JsonNode replay = api.asOps("POST", "/api/v1/ingest/files/" + fileId + "/replay?dryRun=true", null).json();
        assertThat(replay.get("records")).as("records whose outcome would change").isEmpty();
        assertThat(replay.get("outcomes").get("REJECTED").asInt()).isEqualTo(rejected.size());
        assertThat(replay.get("outcomes").get("APPLIED").asLong()).isEqualTo(expected.get("applied").asLong());
        for (long recordId : jdbc.sql("select id from source_records where source_file_id = :f "
                + "and outcome = 'REJECTED'").param("f", fileId).query(Long.class).list()) {
            JsonNode again = api.asOps("POST", "/api/v1/ingest/records/" + recordId + "/replay?dryRun=true", null)
                    .json().get("records").get(0);
            assertThat("REJECTED " + again.get("reason").asText()).as(again.toString())
                    .isEqualTo(rejected.get(again.get("externalId").asText()));
        }
    }

    private Map<String, String> outcomes(long fileId) {
        List<Map<String, Object>> rows = jdbc.sql("select external_id, outcome, reason_code from source_records "
                + "where source_file_id = :f").param("f", fileId).query().listOfRows();
        Map<String, String> outcomes = new HashMap<>();
        for (Map<String, Object> row : rows) {
            outcomes.put((String) row.get("external_id"), row.get("outcome") + " "
                    + (row.get("reason_code") == null ? "" : row.get("reason_code")));
        }
        return outcomes;
    }

    private boolean exists(String partner, String password, String path) {
        try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(),
                partner, password)) {
            session.sftp().stat(path);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean s3Exists(String key) {
        try {
            s3.headObject(b -> b.bucket("partner-drops").key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return false;
        }
    }

}
