package com.invoicehub.ingest.replay;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.SourceFiles;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The backup sweep (a Quartz route calls it every few minutes on every node): finishes receipts left mid-way by a
 * node that died (from their archived copy, once the lease has expired) and retries records whose latest attempt is
 * an ERROR. Safe on several nodes: receipts are claimed by lease, and a retry's run key names the ERROR attempt it
 * retries, so two nodes retrying the same one add one attempt.
 */
@Component("ingestSweep")
public class IngestSweep {

    private static final Logger log = LoggerFactory.getLogger(IngestSweep.class);

    private final JdbcClient jdbc;
    private final SourceFiles sourceFiles;
    private final FileIngestion ingestion;
    private final Replays replays;
    private final MeterRegistry metrics;
    private final Clock clock;

    IngestSweep(JdbcClient jdbc, SourceFiles sourceFiles, FileIngestion ingestion, Replays replays,
                MeterRegistry metrics, Clock clock) {
        this.jdbc = jdbc;
        this.sourceFiles = sourceFiles;
        this.ingestion = ingestion;
        this.replays = replays;
        this.metrics = metrics;
        this.clock = clock;
    }

    public record SweepReport(int filesResumed, int errorsRetried) {
    }

    /** Resumes and retries, each on its own: a failure of one part never keeps the other from running. */
    public SweepReport sweep() {
        int files = 0;
        try {
            files = resumeStuckFiles();
        } catch (RuntimeException e) {
            failed("resume", "the stuck receipts", e);
        }
        int errors = 0;
        try {
            errors = retryErrors();
        } catch (RuntimeException e) {
            failed("retry", "the ERROR records", e);
        }
        if (files + errors > 0) {
            log.info("Ingest sweep: {} stuck files resumed, {} ERROR records retried", files, errors);
        }
        return new SweepReport(files, errors);
    }

    /**
     * Each stuck receipt on its own: one that fails is logged with its reason, counted, and the sweep goes on with the
     * next (its failed tries are counted by the run, which gives it up after the limit).
     */
    private int resumeStuckFiles() {
        List<Long> stuck = sourceFiles.resumable(20);
        int resumed = 0;
        for (long id : stuck) {
            try {
                ingestion.resumeFromArchive(sourceFiles.find(id).orElseThrow());
                resumed++;
            } catch (ReceiptBusyException e) {
                log.debug("File {} was taken by another node", id);
            } catch (RuntimeException e) {
                failed("resume", "file " + id, e);
            }
        }
        return resumed;
    }

    /** A record whose latest attempt was an ERROR, and that attempt. */
    private record LatestError(long recordId, long attemptId) {
    }

    private int retryErrors() {
        List<LatestError> errors = jdbc.sql("""
                        select source_record_id, attempt_id from latest_attempts
                        where source_record_id in (select id from source_records where outcome = 'ERROR'
                                                   union select source_record_id from later_attempts
                                                   where outcome = 'ERROR')
                          and outcome = 'ERROR' and at < :before
                        order by at limit 500""")
                .param("before", Timestamp.from(clock.instant().minus(Duration.ofMinutes(1))))
                .query((rs, n) -> new LatestError(rs.getLong(1), rs.getLong(2))).list();
        int retried = 0;
        for (LatestError error : errors) {
            try {
                replays.retryError(error.recordId(), error.attemptId());
                retried++;
            } catch (RuntimeException e) {
                failed("retry", "record " + error.recordId(), e);
            }
        }
        return retried;
    }

    private void failed(String work, String item, RuntimeException failure) {
        metrics.counter("hub.ingest.sweep.failures", "work", work).increment();
        log.warn("Ingest sweep: {} of {} failed, going on with the next: {}", work, item, failure.toString());
    }
}
