package com.invoicehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SftpSession;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Values the ledger cannot hold are refused row by row, before the database sees them, and a file bigger than its
 * channel allows ends FAILED unread (the test's limit is 2,000,000 bytes, application-test.yaml).
 */
@HubIntegrationTest
class BoundedIngestionTest {

    private static final int FILE_LIMIT = 2_000_000;

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Api api;
    @Autowired
    S3Client s3;
    @Autowired
    PartnerSftpServer sftpServer;

    @Test
    void poisonRowsAreRejectedWithTheirReasonAndTheGoodRowsAroundThemApplied() {
        Fixture fixture = fixtures.fresh();
        List<String> good = fixtures.rows(fixture, 5);
        String customer = fixture.customerId();
        List<String> rows = new ArrayList<>();
        rows.add(good.get(0));
        rows.add(String.join(",", "BIG-AMOUNT", customer, "emp-1", "Ada", "TUITION", "10000000000000000.00", "USD",
                "2026-10-14", "x"));
        rows.add(good.get(1));
        rows.add(String.join(",", "L".repeat(3000), customer, "emp-1", "Ada", "TUITION", "1.00", "USD",
                "2026-10-14", "x"));
        rows.add(good.get(2));
        rows.add(String.join(",", "FAR-DATE", customer, "emp-1", "Ada", "TUITION", "1.00", "USD", "+10000-01-01",
                "x"));
        rows.add(good.get(3));
        rows.add(String.join(",", "NUL-NAME", customer, "emp-1", "Ada\u0000Lovelace", "TUITION", "1.00", "USD",
                "2026-10-14", "x"));
        rows.add(good.get(4));

        IngestResult result = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));

        assertThat(result.status()).isEqualTo(FileStatus.DONE);
        assertThat(result.counts()).containsEntry(Outcome.APPLIED, 5).containsEntry(Outcome.REJECTED, 4);
        Map<Integer, String> outcomes = new LinkedHashMap<>();
        jdbc.sql("""
                        select r.row_number, a.outcome || ' ' || coalesce(a.reason_code, '') from source_records r
                        join attempts a on a.source_record_id = r.id where r.source_file_id = :file
                        order by r.row_number""")
                .param("file", result.fileId())
                .query(rs -> {
                    outcomes.put(rs.getInt(1), rs.getString(2).strip());
                });
        assertThat(outcomes).containsExactly(Map.entry(2, "APPLIED"), Map.entry(3, "REJECTED AMOUNT_OUT_OF_RANGE"),
                Map.entry(4, "APPLIED"), Map.entry(5, "REJECTED FIELD_TOO_LONG"), Map.entry(6, "APPLIED"),
                Map.entry(7, "REJECTED INVALID_DATE"), Map.entry(8, "APPLIED"),
                Map.entry(9, "REJECTED INVALID_CHARACTER"), Map.entry(10, "APPLIED"));
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p").param("p", fixture.partnerId())
                .query(Integer.class).single()).isEqualTo(5);

        // The NUL row's raw text is kept with the visible stand-in, and a replay of it is refused the same way.
        Map<String, Object> nulRecord = jdbc.sql("select id, raw, external_id from source_records "
                        + "where source_file_id = :file and row_number = 9").param("file", result.fileId())
                .query().singleRow();
        assertThat((String) nulRecord.get("raw")).contains("Ada\u2400Lovelace");
        JsonNode replay = api.asOps("POST", "/api/v1/ingest/records/" + nulRecord.get("id") + "/replay", null).json();
        assertThat(replay.get("outcomes").get("REJECTED").asInt()).isEqualTo(1);
        assertThat(replay.get("records").get(0).get("reason").asText()).isEqualTo("INVALID_CHARACTER");
        // The 3,000-character id is kept on the rejected record as sent.
        assertThat(jdbc.sql("select length(external_id) from source_records where source_file_id = :file "
                + "and row_number = 5").param("file", result.fileId()).query(Integer.class).single()).isEqualTo(3000);
    }

    @Test
    void anOversizeS3ObjectEndsFailedUnreadAndMovesToFailedWithItsReason() {
        Fixture fixture = fixtures.fresh();
        fixtures.declare(fixture.partnerId(), "s3");
        String key = fixture.partnerId() + "/big.csv";
        s3.putObject(b -> b.bucket("partner-drops").key(key), RequestBody.fromBytes(oversizeCsv()));

        JsonNode file = awaitFailed(fixture.partnerId());
        assertThat(file.get("failureReason").asText()).contains(Integer.toString(FILE_LIMIT + 1))
                .contains(Integer.toString(FILE_LIMIT)).contains("hub.ingest.max-file-bytes.s3");
        assertThat(file.get("sizeBytes").asLong()).isEqualTo(FILE_LIMIT + 1);
        assertThat(file.get("archiveKey").isNull()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> exists(fixture.partnerId() + "/failed/big.csv")
                && exists(fixture.partnerId() + "/failed/big.csv.error.txt") && !exists(key));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("partner-drops").key(fixture.partnerId()
                + "/failed/big.csv.error.txt")).asUtf8String()).contains("hub.ingest.max-file-bytes.s3");
        assertThat(recordsOf(file.get("id").asLong())).isZero();
    }

    @Test
    void anOversizeSftpFileEndsFailedUnreadAndMovesToFailedWithItsReason() throws IOException {
        Fixture fixture = fixtures.fresh();
        String password = api.asOps("POST", "/api/v1/partners/" + fixture.partnerId() + "/rotate-credentials", null)
                .json().get("sftpPassword").asText();
        fixtures.declare(fixture.partnerId(), "sftp");
        // The hub's own server refuses the upload while it is written, saying why, and keeps nothing of it.
        assertThatThrownBy(() -> {
            try (SftpSession session = sftp(fixture, password);
                 OutputStream out = session.sftp().write("/inbox/big.csv")) {
                out.write(oversizeCsv());
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("at most " + FILE_LIMIT + " bytes")
                .hasMessageContaining("HUB_INGEST_MAX_FILE_BYTES_SFTP");
        Path inbox = sftpServer.root().resolve(fixture.partnerId()).resolve("inbox");
        try (var left = Files.list(inbox)) {
            assertThat(left).isEmpty();
        }
        // ... and answers where the contract answers a file refused whole: failed/<name>.error.txt.
        Path refusal = sftpServer.root().resolve(fixture.partnerId()).resolve("failed/big.csv.error.txt");
        assertThat(Files.readString(refusal)).contains("HUB_INGEST_MAX_FILE_BYTES_SFTP");
        Files.delete(refusal);

        // One that reaches the inbox anyway (an outside SFTP server, or put on the volume) ends FAILED unread.
        Path staged = inbox.resolve(".staged-big.csv");
        Files.write(staged, oversizeCsv());
        Files.move(staged, inbox.resolve("big.csv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        JsonNode file = awaitFailed(fixture.partnerId());
        assertThat(file.get("failureReason").asText()).contains(Integer.toString(FILE_LIMIT + 1))
                .contains("hub.ingest.max-file-bytes.sftp");
        assertThat(recordsOf(file.get("id").asLong())).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (SftpSession session = sftp(fixture, password);
                 InputStream in = session.sftp().read("/failed/big.csv.error.txt")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("max-file-bytes.sftp");
            } catch (IOException notYet) {
                return false;
            }
        });
        try (SftpSession session = sftp(fixture, password)) {
            assertThat(session.sftp().stat("/failed/big.csv").getSize()).isEqualTo(FILE_LIMIT + 1);
        }
    }

    /** A valid standard-csv file of FILE_LIMIT + 1 bytes. */
    private byte[] oversizeCsv() {
        byte[] file = new byte[FILE_LIMIT + 1];
        java.util.Arrays.fill(file, (byte) '\n');
        byte[] header = (IngestFixtures.HEADER + "\n").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(header, 0, file, 0, header.length);
        return file;
    }

    private JsonNode awaitFailed(String partnerId) {
        JsonNode[] file = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode items = api.asOps("GET", "/api/v1/ingest/files?partnerId=" + partnerId, null).json()
                    .get("items");
            file[0] = items.size() == 1 ? items.get(0) : null;
            return file[0] != null && "FAILED".equals(file[0].get("status").asText());
        });
        return file[0];
    }

    private int recordsOf(long fileId) {
        return jdbc.sql("select count(*) from source_records where source_file_id = :id").param("id", fileId)
                .query(Integer.class).single();
    }

    private SftpSession sftp(Fixture fixture, String password) throws IOException {
        return SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), fixture.partnerId(),
                password);
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("partner-drops").key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return false;
        }
    }
}
