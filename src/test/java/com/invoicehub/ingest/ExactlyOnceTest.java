package com.invoicehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.replay.IngestSweep;
import com.invoicehub.support.CrashingMapping;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;

/**
 * A run cut short at any point (reader dies between batches, the database fails inside a batch, a node dies after
 * the last batch, two nodes take the same receipt) ends, once resumed, with every row applied exactly once; a key
 * repeated across batches, or applied by another transaction while a batch is written, is applied once too.
 * Batches are 50 rows in tests, so a 230-row file crosses several.
 */
@HubIntegrationTest
class ExactlyOnceTest {

    private static final int ROWS = 230;

    @Autowired
    FileIngestion ingestion;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    CrashingMapping crashing;
    @Autowired
    IngestSweep sweep;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    @Test
    void readerDiesBetweenBatchesThenTheReceiptResumes() {
        Fixture fixture = fixtures.fresh();
        Path file = fixtures.csv(fixtures.rows(fixture, ROWS));
        IncomingFile incoming = fixtures.incoming(fixture, CrashingMapping.NAME, file);

        crashing.crashOnceAtRow(130);
        assertThatThrownBy(() -> ingestion.ingest(incoming)).hasMessageContaining("simulated crash");
        long fileId = fileId(fixture);
        assertThat(status(fileId)).isEqualTo("PROCESSING");
        assertThat(records(fileId)).isEqualTo(100); // two whole batches committed, the third rolled back

        IngestResult result = ingestion.ingest(incoming);
        assertExactlyOnce(fixture, fileId, result);
    }

    @Test
    void databaseFailsInsideABatchThenTheReceiptResumes() {
        Fixture fixture = fixtures.fresh();
        IncomingFile incoming = fixtures.incoming(fixture, "standard-csv", fixtures.csv(fixtures.rows(fixture, ROWS)));
        // The third batch's last statement (its resume point's advance) fails: everything it did rolls back with it.
        jdbc.sql("""
                create or replace function test_fail_third_batch() returns trigger language plpgsql as $$
                begin
                  if new.partner_id = '%s' and old.last_row_number = 101
                     and new.last_row_number <> old.last_row_number then
                    raise exception 'simulated database failure';
                  end if;
                  return new;
                end $$""".formatted(fixture.partnerId())).update();
        jdbc.sql("create trigger test_fail_third_batch before update on source_files for each row "
                + "execute function test_fail_third_batch()").update();
        try {
            assertThatThrownBy(() -> ingestion.ingest(incoming)).hasStackTraceContaining("simulated database failure");
        } finally {
            jdbc.sql("drop trigger test_fail_third_batch on source_files").update();
        }
        long fileId = fileId(fixture);
        assertThat(records(fileId)).isEqualTo(100);
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p").param("p", fixture.partnerId())
                .query(Integer.class).single()).isEqualTo(100);

        assertExactlyOnce(fixture, fileId, ingestion.ingest(incoming));
    }

    @Test
    void aReceiptSeenAgainAfterItIsDoneChangesNothing() {
        Fixture fixture = fixtures.fresh();
        IncomingFile incoming = fixtures.incoming(fixture, "standard-csv", fixtures.csv(fixtures.rows(fixture, ROWS)));
        IngestResult first = ingestion.ingest(incoming);
        IngestResult again = ingestion.ingest(incoming); // node died after the last batch, before moving the file
        assertThat(again.fileId()).isEqualTo(first.fileId());
        assertExactlyOnce(fixture, first.fileId(), again);
    }

    @Test
    void twoNodesTakingTheSameReceiptApplyItOnce() throws Exception {
        Fixture fixture = fixtures.fresh();
        IncomingFile incoming = fixtures.incoming(fixture, "standard-csv", fixtures.csv(fixtures.rows(fixture, ROWS)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<IngestResult>> runs = new ArrayList<>();
            Callable<IngestResult> run = () -> {
                try {
                    return ingestion.ingest(incoming);
                } catch (ReceiptBusyException busy) {
                    return null; // the other node has it; this one's channel retries later
                }
            };
            runs.add(pool.submit(run));
            runs.add(pool.submit(run));
            for (Future<IngestResult> future : runs) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        long fileId = fileId(fixture);
        assertExactlyOnce(fixture, fileId, ingestion.ingest(incoming));
    }

    @Test
    void theSweepFinishesAReceiptWhoseNodeDied() {
        Fixture fixture = fixtures.fresh();
        IncomingFile incoming = fixtures.incoming(fixture, CrashingMapping.NAME, fixtures.csv(fixtures.rows(fixture,
                ROWS)));
        crashing.crashOnceAtRow(80);
        assertThatThrownBy(() -> ingestion.ingest(incoming)).hasMessageContaining("simulated crash");
        long fileId = fileId(fixture);
        // The node is gone: its lease ran out long ago.
        jdbc.sql("update source_files set lease_until = :past, updated_at = :past where id = :id")
                .param("past", Timestamp.from(Instant.now().minusSeconds(3600))).param("id", fileId).update();

        assertThat(sweep.sweep().filesResumed()).isGreaterThanOrEqualTo(1);
        assertExactlyOnce(fixture, fileId, ingestion.result(fileId));
    }

    @Test
    void aKeyRepeatedInALaterBatchIsDecidedAgainstTheBatchStillBeingWritten() {
        Fixture fixture = fixtures.fresh();
        List<String> rows = new ArrayList<>(fixtures.rows(fixture, ROWS));
        // Lines 122 and 123 (third batch) repeat the keys of lines 72 and 73 (second batch): the same content, then
        // another amount. The second batch may still be in the database when the third is decided.
        rows.set(120, rows.get(70));
        rows.set(121, rows.get(71).replace("," + (10 + 72) + ".00,", ",999.00,"));
        IngestResult result = ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows)));

        assertThat(result.counts()).containsEntry(Outcome.APPLIED, ROWS - 2).containsEntry(Outcome.DUPLICATE, 1)
                .containsEntry(Outcome.CONFLICT, 1);
        assertThat(latestOutcome(result.fileId(), 122)).isEqualTo("DUPLICATE already applied from record "
                + recordId(result.fileId(), 72));
        assertThat(latestOutcome(result.fileId(), 123)).isEqualTo("CONFLICT applied before from record "
                + recordId(result.fileId(), 73) + " with different content; nothing changed");
    }

    @Test
    void aKeyAppliedByAnotherTransactionMeanwhileSendsTheBatchToTheSetBasedStatements() throws Exception {
        Fixture fixture = fixtures.fresh();
        List<String> rows = fixtures.rows(fixture, 60);
        IncomingFile other = new IncomingFile(fixture.partnerId(), Channel.S3, "standard-csv", "other.csv",
                "other|" + fixture.partnerId(), fixtures.csv(rows.subList(0, 1)));
        IncomingFile mine = fixtures.incoming(fixture, "standard-csv", fixtures.csv(rows));
        long gate = fixture.partnerId().hashCode();
        // The other receipt (by S3) stops inside its batch, its line item for the first key written but not committed.
        jdbc.sql("""
                create or replace function test_hold_other_receipt() returns trigger language plpgsql as $$
                begin
                  perform pg_advisory_lock_shared(%d);
                  perform pg_advisory_unlock_shared(%d);
                  return new;
                end $$""".formatted(gate, gate)).update();
        // Held at its batch's last statement, the resume point's advance.
        jdbc.sql("create trigger test_hold_other_receipt before update on source_files for each row when "
                + "(new.partner_id = '" + fixture.partnerId() + "' and new.channel = 'S3' "
                + "and new.last_row_number <> old.last_row_number) execute function test_hold_other_receipt()")
                .update();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection gateHolder = dataSource.getConnection()) {
            gateHolder.createStatement().execute("select pg_advisory_lock(" + gate + ")");
            try {
                Future<IngestResult> otherRun = pool.submit(() -> ingestion.ingest(other));
                await().atMost(Duration.ofSeconds(20)).until(() -> waiting("update source_files", "advisory") == 1);
                Future<IngestResult> myRun = pool.submit(() -> ingestion.ingest(mine));
                // My batch was decided without the other's uncommitted key; its COPY now waits on that key.
                await().atMost(Duration.ofSeconds(20)).until(() -> waiting("copy line_items", "transactionid") == 1);
                gateHolder.createStatement().execute("select pg_advisory_unlock(" + gate + ")");

                IngestResult otherResult = otherRun.get(20, TimeUnit.SECONDS);
                IngestResult result = myRun.get(20, TimeUnit.SECONDS);
                assertThat(otherResult.counts()).containsEntry(Outcome.APPLIED, 1);
                assertThat(result.counts()).containsEntry(Outcome.APPLIED, 59).containsEntry(Outcome.DUPLICATE, 1);
                assertThat(latestOutcome(result.fileId(), 2)).isEqualTo("DUPLICATE already applied from record "
                        + recordId(otherResult.fileId(), 2));
                assertThat(records(result.fileId())).isEqualTo(60);
                assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p")
                        .param("p", fixture.partnerId()).query(Integer.class).single()).isEqualTo(60);
            } finally {
                // A pooled connection keeps its session's lock when closed: a failed check must not leave it held.
                gateHolder.createStatement().execute("select pg_advisory_unlock_all()");
            }
        } finally {
            pool.shutdownNow();
            jdbc.sql("drop trigger test_hold_other_receipt on source_files").update();
        }
    }

    /** Backends of this database running a statement that starts so, waiting on a lock of the given kind. */
    private int waiting(String statement, String waitEvent) {
        return jdbc.sql("""
                        select count(*) from pg_stat_activity
                        where datname = current_database() and wait_event_type = 'Lock' and wait_event = :event
                          and query like :statement""")
                .param("event", waitEvent).param("statement", statement + "%").query(Integer.class).single();
    }

    private String latestOutcome(long fileId, int rowNumber) {
        return jdbc.sql("""
                        select a.outcome || ' ' || a.message from attempts a
                        join source_records r on r.id = a.source_record_id
                        where r.source_file_id = :file and r.row_number = :row order by a.id desc limit 1""")
                .param("file", fileId).param("row", rowNumber).query(String.class).single();
    }

    private long recordId(long fileId, int rowNumber) {
        return jdbc.sql("select id from source_records where source_file_id = :file and row_number = :row")
                .param("file", fileId).param("row", rowNumber).query(Long.class).single();
    }

    private void assertExactlyOnce(Fixture fixture, long fileId, IngestResult result) {
        assertThat(result.status()).isEqualTo(FileStatus.DONE);
        assertThat(result.counts().get(Outcome.APPLIED)).isEqualTo(ROWS);
        assertThat(records(fileId)).isEqualTo(ROWS);
        assertThat(jdbc.sql("select count(*) from attempts a join source_records r on r.id = a.source_record_id "
                        + "where r.source_file_id = :id")
                .param("id", fileId).query(Integer.class).single()).isEqualTo(ROWS);
        assertThat(jdbc.sql("select count(*) from line_items where partner_id = :p").param("p", fixture.partnerId())
                .query(Integer.class).single()).isEqualTo(ROWS);
        assertThat(jdbc.sql("select sum(amount) from line_items where partner_id = :p")
                .param("p", fixture.partnerId()).query(java.math.BigDecimal.class).single())
                .isEqualByComparingTo(java.math.BigDecimal.valueOf((long) ROWS * 10 + (long) ROWS * (ROWS + 1) / 2));
    }

    private long fileId(Fixture fixture) {
        return jdbc.sql("select id from source_files where partner_id = :p").param("p", fixture.partnerId())
                .query(Long.class).single();
    }

    private String status(long fileId) {
        return jdbc.sql("select status from source_files where id = :id").param("id", fileId)
                .query(String.class).single();
    }

    private int records(long fileId) {
        return jdbc.sql("select count(*) from source_records where source_file_id = :id").param("id", fileId)
                .query(Integer.class).single();
    }
}
