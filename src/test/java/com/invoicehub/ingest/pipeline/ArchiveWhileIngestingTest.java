package com.invoicehub.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.NodeIdentity;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The raw copy is archived beside the rows (issue 13): a receipt is DONE only once its archived copy is whole, a run
 * cut short before that archives it again when resumed, and an archive that fails leaves the receipt unfinished with
 * its committed rows kept and not written twice.
 */
@HubIntegrationTest
class ArchiveWhileIngestingTest {

    private static final int ROWS = 120;

    @Autowired
    FileIngestion ingestion;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    S3Client s3;
    @Autowired
    HubProperties hub;
    @Autowired
    SourceFiles sourceFiles;
    @Autowired
    MappingRegistry mappings;
    @Autowired
    BatchApplier applier;
    @Autowired
    ResultsFiles results;
    @Autowired
    CustomerRegistry customers;
    @Autowired
    IngestLimits limits;
    @Autowired
    NodeIdentity node;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    Clock clock;
    @Autowired
    LeaseHeartbeat heartbeat;

    @Test
    void aReceiptWhoseRowsAreWrittenButWhoseArchivedCopyIsGoneIsArchivedAgainBeforeItIsDone() throws Exception {
        Fixture fixture = fixtures.fresh();
        CutShort receipt = ingestedThenCutShortWithItsArchivedCopyGone(fixture);
        assertThat(archived(receipt.archiveKey(), Files.size(receipt.file()))).isFalse();

        IngestResult resumed = ingestion.ingest(receipt.incoming());

        assertThat(resumed.status()).isEqualTo(FileStatus.DONE);
        assertThat(archived(archiveKey(receipt.id()), Files.size(receipt.file()))).isTrue();
        assertThat(resumed.counts().get(Outcome.APPLIED)).isEqualTo(ROWS);
        assertNotWrittenTwice(fixture, receipt.id());
    }

    @Test
    void aReceiptCutShortBeforeItsArchiveCompletedIsArchivedWhenResumed() throws Exception {
        Fixture fixture = fixtures.fresh();
        CutShort receipt = ingestedThenCutShortWithItsArchivedCopyGone(fixture);
        // ... and before its archive key was even recorded.
        jdbc.sql("update source_files set archive_key = null where id = :id").param("id", receipt.id()).update();

        IngestResult resumed = ingestion.ingest(receipt.incoming());

        assertThat(resumed.status()).isEqualTo(FileStatus.DONE);
        assertThat(archived(archiveKey(receipt.id()), Files.size(receipt.file()))).isTrue();
        assertNotWrittenTwice(fixture, receipt.id());
    }

    @Test
    void anArchiveThatFailsLeavesTheReceiptUnfinishedAndTheNextTryFinishesItWithoutWritingRowsTwice()
            throws Exception {
        Fixture fixture = fixtures.fresh();
        Path file = fixtures.csv(fixtures.rows(fixture, ROWS));
        IncomingFile incoming = fixtures.incoming(fixture, "standard-csv", file);
        // The same pipeline, but archiving to a bucket the S3 server does not have: every upload is refused.
        FileIngestion withoutArchive = new FileIngestion(sourceFiles, mappings, applier,
                new RawArchive(s3, withArchiveBucket("no-such-archive-bucket"), clock), results, customers, limits,
                node, metrics, clock, heartbeat, 50);
        try {
            assertThatThrownBy(() -> withoutArchive.ingest(incoming)).hasMessageContaining("bucket");
        } finally {
            withoutArchive.stopBackgroundWork();
        }
        long id = jdbc.sql("select id from source_files where partner_id = :p").param("p", fixture.partnerId())
                .query(Long.class).single();
        assertThat(ingestion.result(id).status()).isEqualTo(FileStatus.PROCESSING);
        assertThat(archiveKey(id)).isNull();
        // The rows were read and written beside the upload, and stay: the next try skips them.
        assertThat(jdbc.sql("select last_row_number from source_files where id = :id").param("id", id)
                .query(Integer.class).single()).isEqualTo(ROWS + 1); // row 1 is the header
        assertThat(jdbc.sql("select failed_tries from source_files where id = :id").param("id", id)
                .query(Integer.class).single()).isEqualTo(1);

        IngestResult retried = ingestion.ingest(incoming);

        assertThat(retried.status()).isEqualTo(FileStatus.DONE);
        assertThat(archived(archiveKey(id), Files.size(file))).isTrue();
        assertNotWrittenTwice(fixture, id);
    }

    private void cutShortBeforeDone(long id) {
        jdbc.sql("update source_files set status = 'PROCESSING', lease_owner = null, lease_until = null "
                + "where id = :id").param("id", id).update();
    }


    /** A receipt ingested whole, then as if its node died after the last batch and before DONE. */
    private record CutShort(long id, Path file, IncomingFile incoming, String archiveKey) {
    }

    /** The node died after its last batch and before the receipt was DONE, and the object under its key is gone. */
    private CutShort ingestedThenCutShortWithItsArchivedCopyGone(Fixture fixture) throws Exception {
        Path file = fixtures.csv(fixtures.rows(fixture, ROWS));
        IncomingFile incoming = fixtures.incoming(fixture, "standard-csv", file);
        long id = ingestion.ingest(incoming).fileId();
        String key = archiveKey(id);
        cutShortBeforeDone(id);
        s3.deleteObject(b -> b.bucket(hub.s3().archiveBucket()).key(key));
        return new CutShort(id, file, incoming, key);
    }
    private void assertNotWrittenTwice(Fixture fixture, long id) {
        assertThat(jdbc.sql("select count(*) from source_records where source_file_id = :id").param("id", id)
                .query(Integer.class).single()).isEqualTo(ROWS);
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p")
                .param("p", fixture.partnerId()).query(Integer.class).single()).isEqualTo(ROWS);
    }

    private String archiveKey(long id) {
        return jdbc.sql("select archive_key from source_files where id = :id").param("id", id)
                .query().singleRow().get("archive_key") instanceof String key ? key : null;
    }

    private boolean archived(String key, long size) {
        return new RawArchive(s3, hub, clock).holds(key, size);
    }

    private HubProperties withArchiveBucket(String bucket) {
        HubProperties.S3 s = hub.s3();
        return new HubProperties(hub.dataDir(), hub.routesDir(), hub.security(), hub.postgres(), hub.sftp(),
                new HubProperties.S3(s.endpoint(), s.port(), s.region(), s.accessKey(), s.secretKey(),
                        s.dropBucket(), bucket),
                hub.sqs(), hub.mail(), hub.approval(), hub.delivery());
    }
}
