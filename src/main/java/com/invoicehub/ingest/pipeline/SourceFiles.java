package com.invoicehub.ingest.pipeline;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.UnfinishedReceipts;

/**
 * Receipts ({@code source_files}): one row per file or message received, found again by its receipt key when a
 * node retries it, and claimed with a lease so two nodes never work on the same receipt at once.
 */
@Repository
public class SourceFiles implements UnfinishedReceipts {

    /** The state of a receipt as a run starts it. */
    public record Receipt(long id, String partnerId, Channel channel, String mapping, String name, FileStatus status,
                          String failureReason, String archiveKey, int lastRowNumber) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration stuckAfter;
    private final Duration stallAfter;
    private final int maxFailedTries;
    private final Duration failedTryBackoff;

    /** The wait after the receipt's failed tries: the back-off doubled for each try after the first. */
    private static final String BACKOFF =
            "make_interval(secs => :backoffMillis / 1000.0 * power(2, greatest(failed_tries - 1, 0)))";

    /** Unfinished, and nobody working on it: no live lease, and no progress for hub.ingest.stuck-after. */
    private static final String ABANDONED = """
            status in ('RECEIVED', 'PROCESSING') and (lease_until is null or lease_until < :now)
            and updated_at < :stuckSince""";

    SourceFiles(JdbcClient jdbc, Clock clock, @Value("${hub.ingest.stuck-after:PT20S}") Duration stuckAfter,
                @Value("${hub.ingest.stall-after:PT15M}") Duration stallAfter,
                @Value("${hub.ingest.max-failed-tries:5}") int maxFailedTries,
                @Value("${hub.ingest.failed-try-backoff:PT30S}") Duration failedTryBackoff) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
        this.stallAfter = stallAfter;
        this.maxFailedTries = maxFailedTries;
        this.failedTryBackoff = failedTryBackoff;
    }

    /** Records the receipt (or finds it again), noting an earlier receipt of the same bytes as a resend. */
    public Receipt record(IncomingFile file, long sizeBytes, String sha256) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        insert into source_files (partner_id, channel, name, mapping, receipt_key, size_bytes, sha256,
                                                  received_at, status, resend_of, updated_at)
                        values (:partner, :channel, :name, :mapping, :receiptKey, :size, :sha, :now, 'RECEIVED',
                                (select min(id) from source_files where partner_id = :partner and sha256 = :sha),
                                :now)
                        on conflict (partner_id, channel, receipt_key) do nothing
                        """)
                .param("partner", file.partnerId()).param("channel", file.channel().name())
                .param("name", file.name()).param("mapping", file.mapping()).param("receiptKey", file.receiptKey())
                .param("size", sizeBytes).param("sha", sha256).param("now", now)
                .update();
        return findByKey(file);
    }

    /** An id for a receipt that {@link #recordWritten} records later (its archive key is made with the id first). */
    public long newId() {
        return jdbc.sql("select nextval('source_files_id_seq')").query(Long.class).single();
    }

    /**
     * Records, in the caller's transaction, a receipt written whole in that transaction (a group of webhook calls):
     * DONE from the start, never claimed, swept or resumed, since it commits with its rows or not at all (so it needs
     * no receipt key: {@code file.receiptKey()} is null). Its rows move the resume point as a file's do; its archive
     * key follows once the copy is complete.
     */
    public void recordWritten(long id, IncomingFile file, long sizeBytes, String sha256, int rows) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        insert into source_files (id, partner_id, channel, name, mapping, receipt_key, size_bytes,
                                                  sha256, received_at, status, rows_total, updated_at)
                        values (:id, :partner, :channel, :name, :mapping, :receiptKey, :size, :sha, :now, 'DONE',
                                :rows, :now)""")
                .param("id", id).param("partner", file.partnerId()).param("channel", file.channel().name())
                .param("name", file.name()).param("mapping", file.mapping()).param("receiptKey", file.receiptKey())
                .param("size", sizeBytes).param("sha", sha256).param("rows", rows).param("now", now)
                .update();
    }

    /**
     * Records a receipt the hub refuses without reading it (a file over its channel's size limit): FAILED with the
     * reason, no SHA-256, never a resend. A retry of the same receipt finds it again and changes nothing.
     */
    public Receipt recordUnread(IncomingFile file, long sizeBytes, String reason) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        insert into source_files (partner_id, channel, name, mapping, receipt_key, size_bytes, sha256,
                                                  received_at, status, failure_reason, updated_at)
                        values (:partner, :channel, :name, :mapping, :receiptKey, :size, null, :now, 'FAILED',
                                :reason, :now)
                        on conflict (partner_id, channel, receipt_key) do nothing
                        """)
                .param("partner", file.partnerId()).param("channel", file.channel().name())
                .param("name", file.name()).param("mapping", file.mapping()).param("receiptKey", file.receiptKey())
                .param("size", sizeBytes).param("reason", reason).param("now", now)
                .update();
        return findByKey(file);
    }

    /** The receipt of this file, by its receipt key (the same receipt whichever node or try records it). */
    private Receipt findByKey(IncomingFile file) {
        long id = jdbc.sql("select id from source_files where partner_id = :partner and channel = :channel "
                        + "and receipt_key = :receiptKey")
                .param("partner", file.partnerId()).param("channel", file.channel().name())
                .param("receiptKey", file.receiptKey()).query(Long.class).single();
        return find(id).orElseThrow();
    }

    public Optional<Receipt> find(long id) {
        return jdbc.sql("""
                        select id, partner_id, channel, mapping, name, status, failure_reason, archive_key,
                               last_row_number
                        from source_files where id = :id""")
                .param("id", id)
                .query((rs, n) -> new Receipt(rs.getLong("id"), rs.getString("partner_id"),
                        Channel.valueOf(rs.getString("channel")), rs.getString("mapping"), rs.getString("name"),
                        FileStatus.valueOf(rs.getString("status")), rs.getString("failure_reason"),
                        rs.getString("archive_key"), rs.getInt("last_row_number")))
                .optional();
    }

    /**
     * Takes the receipt for this node for {@code lease}, unless another node holds an unexpired lease on it.
     * The lease is renewed after every batch; a node that dies lets it expire, and the receipt is taken over.
     */
    public boolean claim(long id, String node, Duration lease) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        update source_files
                        set lease_owner = :node, lease_until = :until, updated_at = :now,
                            status = case when status = 'RECEIVED' then 'PROCESSING' else status end
                        where id = :id and (lease_until is null or lease_until < :now or lease_owner = :node)
                          and (failed_tries = 0 or updated_at + """ + BACKOFF + """
                               <= :now)
                        """)
                .param("id", id).param("node", node).param("until", Timestamp.from(now.plus(lease)))
                .param("now", Timestamp.from(now)).param("backoffMillis", failedTryBackoff.toMillis())
                .update() == 1;
    }

    /**
     * Until when the receipt is not to be tried: the end of another run's lease, or of the wait after a failed try
     * (hub.ingest.failed-try-backoff, doubling with each try); empty if it may be tried now.
     */
    public Optional<Instant> busyUntil(long id) {
        return jdbc.sql("""
                        select greatest(lease_until, case when failed_tries > 0 then updated_at + """ + BACKOFF + """
                               end)
                        from source_files where id = :id""")
                .param("id", id).param("backoffMillis", failedTryBackoff.toMillis())
                .query((rs, n) -> rs.getTimestamp(1)).optional().map(Timestamp::toInstant)
                .filter(until -> until.isAfter(clock.instant()));
    }

    /**
     * Extends a lease this run still holds (the heartbeat, while the run works) if the run committed something within
     * {@code stallAfter}; false if the lease was lost meanwhile or the run looks hung, so it runs out and another
     * node takes the receipt over. Touches nothing but the lease: {@code updated_at} stays the time of the last
     * progress.
     */
    public boolean renew(long id, String node, Duration lease, Duration stallAfter) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        update source_files set lease_until = :until
                        where id = :id and lease_owner = :node and updated_at > :stalledSince""")
                .param("id", id).param("node", node).param("until", Timestamp.from(now.plus(lease)))
                .param("stalledSince", Timestamp.from(now.minus(stallAfter))).update() == 1;
    }

    /**
     * Counts a failed try of a run that holds the lease, keeping its reason; the try that reaches {@code maxTries}
     * ends the receipt FAILED with that reason (so nothing sits in PROCESSING, retried forever). Answers whether it
     * did.
     */
    public boolean failedTry(long id, String node, String reason) {
        int maxTries = maxFailedTries;
        return jdbc.sql("""
                        update source_files
                        set failed_tries = failed_tries + 1, last_error = :reason, updated_at = :now,
                            status = case when failed_tries + 1 >= :max then 'FAILED' else status end,
                            failure_reason = case when failed_tries + 1 >= :max
                                then 'given up after ' || (failed_tries + 1) || ' failed tries; the last: ' || :reason
                                else failure_reason end
                        where id = :id and lease_owner = :node
                        returning status""")
                .param("id", id).param("node", node).param("reason", reason).param("max", maxTries)
                .param("now", Timestamp.from(clock.instant()))
                .query(String.class).optional().map(FileStatus.FAILED.name()::equals).orElse(false);
    }

    /** Receipts the sweep can resume from their archived copy, longest abandoned first. */
    public java.util.List<Long> resumable(int limit) {
        Instant now = clock.instant();
        return jdbc.sql("select id from source_files where " + ABANDONED + " and archive_key is not null "
                        + "order by updated_at limit :limit")
                .param("now", Timestamp.from(now)).param("stuckSince", Timestamp.from(now.minus(stuckAfter)))
                .param("limit", limit).query(Long.class).list();
    }

    /**
     * Receipts received in [from, to) that are unfinished with nobody finishing them: abandoned (see above), hung
     * (a live lease but nothing committed for hub.ingest.stall-after), or given up after their failed tries (their
     * rows after the last committed one are in no table until the file is replayed).
     */
    @Override
    public java.util.List<Long> unaccounted(Instant from, Instant to) {
        Instant now = clock.instant();
        return jdbc.sql("select id from source_files where received_at >= :from and received_at < :to and ((" + ABANDONED
                        + ") or (status in ('RECEIVED', 'PROCESSING') and updated_at < :stalledSince) "
                        + "or (status = 'FAILED' and failed_tries >= :maxTries)) order by id")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("now", Timestamp.from(now))
                .param("stuckSince", Timestamp.from(now.minus(stuckAfter)))
                .param("stalledSince", Timestamp.from(now.minus(stallAfter))).param("maxTries", maxFailedTries)
                .query(Long.class).list();
    }

    public void release(long id, String node) {
        jdbc.sql("update source_files set lease_owner = null, lease_until = null where id = :id and lease_owner = :node")
                .param("id", id).param("node", node).update();
    }

    public void archived(long id, String archiveKey) {
        jdbc.sql("update source_files set archive_key = :key where id = :id")
                .param("id", id).param("key", archiveKey).update();
    }

    public void failed(long id, String reason) {
        jdbc.sql("""
                        update source_files set status = 'FAILED', failure_reason = :reason, updated_at = :now,
                               lease_owner = null, lease_until = null
                        where id = :id""")
                .param("id", id).param("reason", reason).param("now", Timestamp.from(clock.instant())).update();
    }

    /** Ends the receipt DONE, if this run still holds it (a run that lost its lease leaves it to the new holder). */
    public void done(long id, String node, int rows) {
        int updated = jdbc.sql("""
                        update source_files set status = 'DONE', failure_reason = null, rows_total = :rows,
                               updated_at = :now, lease_owner = null, lease_until = null
                        where id = :id and lease_owner = :node""")
                .param("id", id).param("node", node).param("rows", rows)
                .param("now", Timestamp.from(clock.instant())).update();
        if (updated == 0) {
            throw new ReceiptBusyException(id);
        }
    }

    /**
     * Puts a FAILED receipt back to be read again (replay): from its first row if it was refused whole, after its
     * last committed row if it was given up part-way; its failed tries start again from zero.
     */
    public void reopen(long id) {
        jdbc.sql("""
                        update source_files set status = 'PROCESSING', failure_reason = null, failed_tries = 0,
                               updated_at = :now
                        where id = :id""")
                .param("id", id).param("now", Timestamp.from(clock.instant())).update();
    }
}
