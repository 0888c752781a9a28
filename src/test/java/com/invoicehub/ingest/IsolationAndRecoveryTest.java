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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.SourceFiles;
import com.invoicehub.ingest.replay.IngestSweep;
import com.invoicehub.support.Api;
import com.invoicehub.support.CrashingMapping;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.TestData;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * One item never holds up the others (issue 11): a row the database refuses is set apart with its reason while its
 * neighbours apply; a receipt that cannot be resumed does not stop the sweep and is given up after its tries; a slow
 * node keeps its receipt while a dead one's is taken over within a lease; two batches sharing customer users never
 * deadlock.
 */
@HubIntegrationTest
class IsolationAndRecoveryTest {

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
    SourceFiles sourceFiles;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Api api;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    DataSource dataSource;

    @Test
    void aRowTheLedgerRefusesIsRejectedWithTheReasonAndItsNeighboursApply() {
        Fixture fixture = fixtures.fresh();
        String poison = fixture.partnerId() + "-77";
        IngestResult result = ingestWhileTheLedgerRefuses(fixture, poison, "22003", "numeric field overflow (test)");
        assertThat(result.status()).isEqualTo(FileStatus.DONE);
        assertThat(result.counts().get(Outcome.APPLIED)).isEqualTo(ROWS - 1);
        assertThat(result.counts().get(Outcome.REJECTED)).isEqualTo(1);
        assertThat(ledgerCount(fixture.partnerId())).isEqualTo(ROWS - 1);
        assertThat(records(result.fileId())).isEqualTo(ROWS);
        var attempt = jdbc.sql("select outcome, reason_code, message from attempts where external_id = :id")
                .param("id", poison).query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                .single();
        assertThat(attempt.get(0)).isEqualTo("REJECTED");
        assertThat(attempt.get(1)).isEqualTo("LEDGER_REFUSED");
        assertThat(attempt.get(2)).contains("numeric field overflow (test)");
    }

    @Test
    void aRowTooBigForAnIndexIsRejectedNotTakenForAnOutage() {
        Fixture fixture = fixtures.fresh();
        String poison = fixture.partnerId() + "-33";
        IngestResult result = ingestWhileTheLedgerRefuses(fixture, poison, "54000", "index row size exceeds (test)");
        assertThat(result.status()).isEqualTo(FileStatus.DONE);
        assertThat(result.counts().get(Outcome.REJECTED)).isEqualTo(1);
        assertThat(latestOutcome(poison)).isEqualTo("REJECTED");
        assertThat(ledgerCount(fixture.partnerId())).isEqualTo(ROWS - 1);
    }

    @Test
    void aRowTheDatabaseFailsForAnotherReasonIsAnErrorThatTheSweepRetries() {
        Fixture fixture = fixtures.fresh();
        String failing = fixture.partnerId() + "-120";
        IngestResult result = ingestWhileTheLedgerRefuses(fixture, failing, "P0001", "trigger failed (test)");
        assertThat(result.status()).isEqualTo(FileStatus.DONE);
        assertThat(result.counts().get(Outcome.ERROR)).isEqualTo(1);
        assertThat(ledgerCount(fixture.partnerId())).isEqualTo(ROWS - 1);

        // The receipt attempt's time is its record's received_at.
        jdbc.sql("update source_records set received_at = :past where external_id = :id")
                .param("past", Timestamp.from(Instant.now().minusSeconds(120))).param("id", failing).update();
        sweep.sweep();
        assertThat(latestOutcome(failing)).isEqualTo("APPLIED");
        assertThat(ledgerCount(fixture.partnerId())).isEqualTo(ROWS);
    }

    @Test
    void aReceiptThatCannotBeResumedNeitherStopsTheSweepNorStaysInProcessingForever() {
        Fixture fixture = fixtures.fresh();
        Path broken = fixtures.csv(fixtures.rows(fixture, ROWS).subList(0, 100));
        crashing.crashOnceAtRow(60);
        assertThatThrownBy(() -> ingestion.ingest(fixtures.incoming(fixture, CrashingMapping.NAME, broken)))
                .hasMessageContaining("simulated crash");
        long brokenId = fileId(fixture, broken);
        // Its archived copy is gone: every resume of it fails, and it comes first (lowest id).
        jdbc.sql("update source_files set archive_key = 'raw/gone/' || id where id = :id").param("id", brokenId)
                .update();
        Path good = fixtures.csv(fixtures.rows(fixture, ROWS).subList(100, ROWS));
        crashing.crashOnceAtRow(60);
        assertThatThrownBy(() -> ingestion.ingest(fixtures.incoming(fixture, CrashingMapping.NAME, good)))
                .hasMessageContaining("simulated crash");
        long goodId = fileId(fixture, good);
        nodeDied(brokenId);
        nodeDied(goodId);
        int triesBefore = failedTries(brokenId);
        double failuresBefore = sweepFailures();

        sweep.sweep();

        assertThat(ingestion.result(goodId).status()).isEqualTo(FileStatus.DONE);
        assertThat(ledgerCount(fixture.partnerId())).isEqualTo(records(brokenId) + (ROWS - 100));
        assertThat(failedTries(brokenId)).isEqualTo(triesBefore + 1);
        assertThat(ingestion.result(brokenId).status()).isEqualTo(FileStatus.PROCESSING);
        assertThat(sweepFailures()).isEqualTo(failuresBefore + 1);

        jdbc.sql("update source_files set failed_tries = 4 where id = :id").param("id", brokenId).update();
        nodeDied(brokenId);
        sweep.sweep();
        IngestResult givenUp = ingestion.result(brokenId);
        assertThat(givenUp.status()).isEqualTo(FileStatus.FAILED);
        assertThat(givenUp.failureReason()).startsWith("given up after 5 failed tries; the last:")
                .contains("raw/gone/" + brokenId);
        Api.Response shown = api.asOps("GET", "/api/v1/ingest/files/" + brokenId, null);
        assertThat(shown.json().get("status").asText()).isEqualTo("FAILED");
        assertThat(shown.json().get("failedTries").asInt()).isEqualTo(5);
        assertThat(shown.json().get("lastError").asText()).contains("raw/gone/" + brokenId);
        // Its rows after the last committed one are in no table: unexplained until the file is replayed.
        Api.Response reconciliation = api.asOps("GET", "/api/v1/reports/reconciliation?from="
                + Instant.now().minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(3600), null);
        assertThat(reconciliation.json().get("receipts").get("stuck").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(reconciliation.json().get("differences").toString()).containsPattern("files [0-9, ]*\\b"
                + brokenId + "\\b");
    }

    @Test
    void aRunThatLostItsLeaseCommitsNothingMore() throws Exception {
        Fixture fixture = fixtures.fresh();
        try (PausedRun run = new PausedRun(fixture)) {
            long fileId = jdbc.sql("select id from source_files where partner_id = :p")
                    .param("p", fixture.partnerId()).query(Long.class).single();
            // Meanwhile its lease ran out and another node took the receipt over.
            jdbc.sql("update source_files set lease_owner = 'other-node/run-2' where id = :id").param("id", fileId)
                    .update();
            int committed = records(fileId);
            run.resume();
            assertThatThrownBy(run.result::get).hasCauseInstanceOf(ReceiptBusyException.class);
            assertThat(records(fileId)).isEqualTo(committed);
            assertThat(ledgerCount(fixture.partnerId())).isEqualTo(committed);
            assertThat(jdbc.sql("select lease_owner from source_files where id = :id").param("id", fileId)
                    .query(String.class).single()).isEqualTo("other-node/run-2");
        }
    }

    @Test
    void aSlowRunKeepsItsReceiptOnTheHeartbeatAndADeadRunsIsTakenOverWithinALease() throws Exception {
        Fixture fixture = fixtures.fresh();
        try (PausedRun run = new PausedRun(fixture)) {
            Instant firstLease = leaseUntil(fixture);
            // Longer than a lease (3 s in tests) without a batch: the heartbeat keeps it.
            await().atMost(Duration.ofSeconds(20)).until(() -> leaseUntil(fixture).isAfter(firstLease.plusSeconds(4)));
            assertThatThrownBy(() -> ingestion.ingest(run.incoming)).isInstanceOf(ReceiptBusyException.class);
            run.resume();
            IngestResult done = run.result.get();
            assertThat(done.status()).isEqualTo(FileStatus.DONE);
            assertThat(done.counts().get(Outcome.APPLIED)).isEqualTo(ROWS);
        }

        Fixture other = fixtures.fresh();
        var orphaned = fixtures.incoming(other, "standard-csv", fixtures.csv(fixtures.rows(other, ROWS)));
        long id = sourceFiles.record(orphaned, 1, "0".repeat(64)).id();
        assertThat(sourceFiles.claim(id, "dead-node/run-1", Duration.ofSeconds(3))).isTrue(); // no heartbeat
        assertThatThrownBy(() -> ingestion.ingest(orphaned)).isInstanceOf(ReceiptBusyException.class);
        IngestResult takenOver = await().atMost(Duration.ofSeconds(10)).ignoreException(ReceiptBusyException.class)
                .until(() -> ingestion.ingest(orphaned), r -> r.status() == FileStatus.DONE);
        assertThat(takenOver.counts().get(Outcome.APPLIED)).isEqualTo(ROWS);
        assertThat(ledgerCount(other.partnerId())).isEqualTo(ROWS);
    }

    @Test
    void batchesOfTwoPartnersSharingCustomerUsersNeverDeadlock() throws Exception {
        Fixture first = fixtures.fresh();
        Fixture second = new Fixture(TestData.id("partner"), first.customerId(), null, null);
        assertThat(api.asOps("POST", "/api/v1/partners", TestData.partnerJson(second.partnerId())).status())
                .isEqualTo(201);
        ingestion.ingest(fixtures.incoming(first, "standard-csv", fixtures.csv(usersFile(first, "known", false))));
        long deadlocksBefore = deadlocks();
        // The same 40 users, renamed, one file in ascending and the other in descending order. Holding the last
        // user makes both batches meet mid-way: the second file waits for it first, the first file behind it.
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select 1 from customer_users where customer_id = '"
                    + first.customerId() + "' and id = 'emp-39' for update");
            Future<IngestResult> descending = nodes.submit(() -> ingestion.ingest(fixtures.incoming(second,
                    "standard-csv", fixtures.csv(usersFile(second, "renamed", true)))));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLocks() >= 1);
            Future<IngestResult> ascending = nodes.submit(() -> ingestion.ingest(fixtures.incoming(first,
                    "standard-csv", fixtures.csv(usersFile(first, "renamed", false)))));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLocks() >= 2);
            holder.commit();
            assertThat(descending.get().counts().get(Outcome.APPLIED)).isEqualTo(200);
            assertThat(ascending.get().counts().get(Outcome.APPLIED)).isEqualTo(200);
        } finally {
            nodes.shutdownNow();
        }
        // The statistics view is updated a moment after the fact: it must stay unchanged for a while.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> deadlocks() == deadlocksBefore);
    }

    private List<String> usersFile(Fixture fixture, String names, boolean descending) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int user = descending ? 39 - i % 40 : i % 40;
            rows.add(String.join(",", fixture.partnerId() + "-" + names + "-" + i, fixture.customerId(),
                    "emp-" + user, "Employee " + user + " " + names, "TUITION", "12.00", "USD", "2026-10-14",
                    "Course"));
        }
        return rows;
    }

    private int waitingOnLocks() {
        return jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and datname = current_database()").query(Integer.class).single();
    }

    /** The fixture's file ingested on another thread, paused at row 120 (a slow node) while it holds its lease. */
    private final class PausedRun implements AutoCloseable {
        final IncomingFile incoming;
        final Future<IngestResult> result;
        private final CountDownLatch resume = new CountDownLatch(1);
        private final ExecutorService node = Executors.newSingleThreadExecutor();

        PausedRun(Fixture fixture) throws InterruptedException {
            incoming = fixtures.incoming(fixture, CrashingMapping.NAME, fixtures.csv(fixtures.rows(fixture, ROWS)));
            crashing.pauseOnceAtRow(120, resume);
            result = node.submit(() -> ingestion.ingest(incoming));
            assertThat(crashing.awaitPaused(20)).as("the run reached row 120").isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> leaseUntil(fixture) != null);
        }

        void resume() {
            resume.countDown();
        }

        @Override
        public void close() {
            resume.countDown();
            node.shutdownNow();
        }
    }

    private long deadlocks() {
        return jdbc.sql("select deadlocks from pg_stat_database where datname = current_database()")
                .query(Long.class).single();
    }

    /** The fixture's rows, while the ledger refuses the one of {@code externalId} with that SQL state. */
    private IngestResult ingestWhileTheLedgerRefuses(Fixture fixture, String externalId, String sqlState,
                                                    String message) {
        refuseOnLedgerInsert(externalId, sqlState, message);
        try {
            return ingestion.ingest(fixtures.incoming(fixture, "standard-csv",
                    fixtures.csv(fixtures.rows(fixture, ROWS))));
        } finally {
            dropRefusal();
        }
    }

    private void refuseOnLedgerInsert(String externalId, String sqlState, String message) {
        jdbc.sql("""
                create or replace function test_refuse_ledger_row() returns trigger language plpgsql as $$
                begin
                  raise exception '%s' using errcode = '%s';
                end $$""".formatted(message, sqlState)).update();
        jdbc.sql("create trigger test_refuse_ledger_row before insert on line_items for each row when "
                + "(new.external_id = '" + externalId + "') execute function test_refuse_ledger_row()").update();
    }

    private void dropRefusal() {
        jdbc.sql("drop trigger if exists test_refuse_ledger_row on line_items").update();
    }

    private void nodeDied(long fileId) {
        jdbc.sql("update source_files set lease_owner = null, lease_until = :past, updated_at = :past where id = :id")
                .param("past", Timestamp.from(Instant.now().minusSeconds(3600))).param("id", fileId).update();
    }

    private double sweepFailures() {
        return metrics.find("hub.ingest.sweep.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private int failedTries(long fileId) {
        return jdbc.sql("select failed_tries from source_files where id = :id").param("id", fileId)
                .query(Integer.class).single();
    }

    private Instant leaseUntil(Fixture fixture) {
        return jdbc.sql("select lease_until from source_files where partner_id = :p").param("p", fixture.partnerId())
                .query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(null);
    }

    private long fileId(Fixture fixture, Path file) {
        return jdbc.sql("select id from source_files where partner_id = :p and name = :n")
                .param("p", fixture.partnerId()).param("n", file.getFileName().toString()).query(Long.class).single();
    }

    private String latestOutcome(String externalId) {
        return jdbc.sql("select outcome from attempts where external_id = :id order by id desc limit 1")
                .param("id", externalId).query(String.class).single();
    }

    private int ledgerCount(String partnerId) {
        return jdbc.sql("select count(*) from line_items where partner_id = :p").param("p", partnerId)
                .query(Integer.class).single();
    }

    private int records(long fileId) {
        return jdbc.sql("select count(*) from source_records where source_file_id = :id").param("id", fileId)
                .query(Integer.class).single();
    }
}
