package com.invoicehub.ingest.pipeline;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.ledger.Ledger;
import com.invoicehub.ledger.LedgerEntry;
import com.invoicehub.ledger.LedgerVerdicts;
import com.invoicehub.ledger.Verdict;
import com.invoicehub.platform.Outages;
import com.invoicehub.platform.postgres.CopyText;
import com.invoicehub.platform.postgres.PostgresCopy;

/**
 * Applies a batch of judged rows in one transaction, set-based, in one of two ways; the ledger's verdict
 * ({@link Verdict}) and its writes ({@link Ledger}) are the ledger module's either way.
 * <ul>
 * <li>{@link #prepare} and {@link #write} (a receipt's own rows, the bulk of all work): one look-up of the batch's
 * source keys in the ledger decides each row, then source records (each with its receipt attempt) and line items are
 * COPYed straight into their tables. The ledger's unique source key is the arbiter: if another transaction applied
 * one of the keys after the look-up, the COPY fails, the batch rolls back and is applied again the second way.</li>
 * <li>{@link #apply} (replays, and a receipt batch that lost such a race): {@code INSERT ... ON CONFLICT DO NOTHING}
 * applies the items whose keys are free, racing transactions waiting for each other; one look-up of the keys that
 * were not free decides the others by the same verdict. A replay's attempts go to {@code later_attempts}.</li>
 * </ul>
 * Either way a receipt's batch commits with its resume point, so a run cut short resumes after its last whole batch,
 * and customer users are learned (id, latest name) from the rows applied.
 */
@Component
public class BatchApplier {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);

    /** A receipt's rows as sent, each with its receipt attempt (a replay's attempts go to later_attempts). */
    private static final String COPY_RECORDS = "copy source_records (id, source_file_id, partner_id, row_number, "
            + "external_id, raw, received_at, outcome, reason_code, message) from stdin";

    /** How often a batch that lost a deadlock or lock wait is tried again before its run fails. */
    private static final int DEADLOCK_TRIES = 5;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Ledger ledger;
    private final PostgresCopy copy;

    BatchApplier(JdbcClient jdbc, TransactionTemplate transaction, Ledger ledger, PostgresCopy copy) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.ledger = ledger;
        this.copy = copy;
    }

    /**
     * The receipt and run a batch belongs to; {@code at} also marks the line items this batch applies. A receipt's own
     * run names the {@code leaseOwner} it holds the receipt as: its batches commit only while it still holds it.
     */
    public record Run(long fileId, String partnerId, Channel channel, String runKey, Instant at, String leaseOwner) {

        /** A run over records already kept (replay, retry): no lease, no resume point. */
        public static Run overKeptRecords(long fileId, String partnerId, Channel channel, String runKey, Instant at) {
            return new Run(fileId, partnerId, channel, runKey, at, null);
        }
    }

    /**
     * A receipt's batch decided and written out as COPY text, ready for {@link #write}: made by {@link #prepare} on
     * the reading thread while the batch before it is still being written.
     */
    public static final class PreparedBatch {
        private final Run run;
        private final List<JudgedRow> rows;
        private final CopyText records;
        private Ledger.NewItems items;
        private final Map<String, LedgerEntry> applies;
        private final Map<List<String>, Ledger.CustomerUser> users;
        private Map<Outcome, Integer> counts;
        private boolean raced;

        private PreparedBatch(Run run, List<JudgedRow> rows) {
            this.run = run;
            this.rows = rows;
            this.records = new CopyText(rows.size() * 160);
            this.applies = new HashMap<>();
            this.users = new LinkedHashMap<>();
            this.counts = new EnumMap<>(Outcome.class);
        }

        /** Outcomes of the batch as written. */
        public Map<Outcome, Integer> counts() {
            return counts;
        }

        /** Whether another transaction applied one of its keys first, so it was written the set-based way. */
        public boolean raced() {
            return raced;
        }
    }

    /**
     * Decides a batch of a receipt's own rows against the ledger and writes it out as COPY text. Record ids come
     * from the sequence and the ledger look-up reads committed rows, neither in a transaction: the keys of the batch
     * still being written ({@code writing}, may be null) count as held, and a key another transaction applies after
     * the look-up makes {@link #write} fall back. If {@code writing} {@link PreparedBatch#raced raced}, prepare this
     * batch again once it is written.
     */
    public PreparedBatch prepare(Run run, List<JudgedRow> rows, PreparedBatch writing) {
        PreparedBatch batch = new PreparedBatch(run, rows);
        if (rows.isEmpty()) {
            batch.items = new Ledger.NewItems(List.of(), run.at());
            return batch;
        }
        List<JudgedRow> kept = withNewRecordIds(rows);
        LedgerVerdicts verdicts = new LedgerVerdicts(ledger.entries(run.partnerId(), pendingKeys(kept)));
        if (writing != null) {
            writing.applies.forEach(verdicts::hold);
        }
        String at = run.at().toString();
        List<Ledger.NewItem> toLedger = new ArrayList<>();
        for (JudgedRow row : kept) {
            Outcome outcome = row.decided();
            String message = row.message();
            var item = row.item();
            if (outcome == null) {
                String hash = item.contentHash();
                Verdict verdict = verdicts.decide(item.externalId(), hash, row.recordId());
                outcome = Outcome.of(verdict);
                message = verdict.message();
                if (outcome == Outcome.APPLIED) {
                    batch.applies.put(item.externalId(), new LedgerEntry(hash, row.recordId()));
                    toLedger.add(new Ledger.NewItem(run.partnerId(), item, hash, row.recordId()));
                    batch.users.put(List.of(item.customerId(), item.customerUserId()),
                            new Ledger.CustomerUser(item.customerId(), item.customerUserId(), item.userName()));
                }
            }
            batch.counts.merge(outcome, 1, Integer::sum);
            batch.records.field(row.recordId()).field(run.fileId()).field(run.partnerId()).field(row.rowNumber())
                    .field(row.externalId()).field(row.raw()).field(at).field(outcome.name())
                    .field(row.reasonCode()).last(message);
        }
        batch.items = new Ledger.NewItems(toLedger, run.at());
        return batch;
    }

    /**
     * Writes a prepared batch in one transaction: COPY into source records and line items, learn users,
     * advance the resume point. The ledger's unique source key is the arbiter: if another transaction applied one of
     * the batch's keys after it was prepared, the COPY fails, everything rolls back and the batch's rows are applied
     * again with the set-based statements.
     */
    public PreparedBatch write(PreparedBatch batch, LearnedUsers users) {
        if (batch.rows.isEmpty()) {
            return batch;
        }
        try {
            return writeWhole(batch, users);
        } catch (DataAccessException failure) {
            if (Outages.isOutage(failure) || failure instanceof DuplicateKeyException
                    || failure instanceof PessimisticLockingFailureException) {
                throw failure; // nobody's row: the database away, the receipt's rows kept by another run, a lock lost
            }
            log.warn("File {}: rows {}-{} failed as one batch ({}); writing them apart to find the rows at fault",
                    batch.run.fileId(), batch.rows.get(0).rowNumber(),
                    batch.rows.get(batch.rows.size() - 1).rowNumber(), failure.getMostSpecificCause().getMessage());
            batch.counts = isolate(batch.run, batch.rows, users, failure);
            batch.raced = true; // the batch prepared after it counted keys as applied that may not be
            return batch;
        }
    }

    /**
     * Writes rows that failed together in halves, each half on its own, until the rows at fault stand alone: each of
     * those is kept with an outcome naming the database's refusal, and every other row is applied as usual, in order
     * (so the resume point still advances row by row).
     */
    private Map<Outcome, Integer> isolate(Run run, List<JudgedRow> rows, LearnedUsers users,
                                          DataAccessException failure) {
        if (rows.size() == 1) {
            return writeRefused(run, rows.get(0), users, failure);
        }
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int middle = rows.size() / 2;
        for (List<JudgedRow> half : List.of(rows.subList(0, middle), rows.subList(middle, rows.size()))) {
            Map<Outcome, Integer> written;
            try {
                written = writeWhole(prepare(run, half, null), users).counts;
            } catch (DataAccessException halfFailure) {
                if (Outages.isOutage(halfFailure)) {
                    throw halfFailure;
                }
                written = isolate(run, half, users, halfFailure);
            }
            written.forEach((outcome, count) -> counts.merge(outcome, count, Integer::sum));
        }
        return counts;
    }

    /**
     * Keeps a row the database refused: REJECTED ({@code LEDGER_REFUSED}) when its content is what was refused (a
     * value out of the ledger's range, a constraint), ERROR otherwise, so the sweep tries it again. If even its raw
     * text cannot be kept, a note in its place says why (the archived copy holds the bytes).
     */
    private Map<Outcome, Integer> writeRefused(Run run, JudgedRow row, LearnedUsers users,
                                               DataAccessException failure) {
        String refusal = failure.getMostSpecificCause().getMessage();
        String sqlState = failure.getMostSpecificCause() instanceof SQLException sql ? sql.getSQLState() : null;
        boolean rowsFault = sqlState != null
                && (sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("54"));
        JudgedRow refused = rowsFault
                ? JudgedRow.rejected(row.rowNumber(), row.raw(), row.externalId(),
                        ReasonCode.LEDGER_REFUSED.name(), "the ledger cannot hold this row: " + refusal)
                : JudgedRow.error(row.rowNumber(), row.raw(), row.externalId(),
                        "the database refused this row: " + refusal);
        log.warn("File {} row {}: {}", run.fileId(), row.rowNumber(), refused.message());
        try {
            return writeWhole(prepare(run, List.of(refused), null), users).counts;
        } catch (DataAccessException keepingFailed) {
            if (Outages.isOutage(keepingFailed)) {
                throw keepingFailed;
            }
            JudgedRow noted = new JudgedRow(refused.rowNumber(), "[the raw text of this row could not be stored ("
                    + keepingFailed.getMostSpecificCause().getMessage() + "); the archived file holds it]",
                    refused.externalId(), null, refused.decided(), refused.reasonCode(), refused.message(), null);
            return writeWhole(prepare(run, List.of(noted), null), users).counts;
        }
    }

    /**
     * One transaction for the whole batch: COPY, falling back to the set-based statements when another transaction
     * applied one of its keys first (or a COPY lost a deadlock to one).
     */
    private PreparedBatch writeWhole(PreparedBatch batch, LearnedUsers users) {
        Run run = batch.run;
        try {
            transaction.executeWithoutResult(status -> {
                List<JudgedRow> judged = withCustomersCurrencies(batch.rows);
                if (judged != batch.rows) {
                    throw new CurrencyChangedMeanwhile(judged);
                }
                copy.copyIn(COPY_RECORDS, batch.records);
                ledger.copy(batch.items);
                ledger.learnUsers(users.notYetWritten(batch.users.values()), run.at());
                advanceResumePoint(run, batch.rows);
            });
            users.written(batch.users.values());
        } catch (CurrencyChangedMeanwhile changed) {
            log.info("File {}: a customer of rows {}-{} changed currency while the file was read; its rows are "
                    + "refused", run.fileId(), batch.rows.get(0).rowNumber(),
                    batch.rows.get(batch.rows.size() - 1).rowNumber());
            batch.counts = writeWhole(prepare(run, changed.rows, null), users).counts;
            batch.raced = true; // the batch prepared after it counted keys as applied that are not
        } catch (DuplicateKeyException | PessimisticLockingFailureException raced) {
            if (raced instanceof DuplicateKeyException && !Ledger.isSourceKeyTaken(raced)) {
                throw raced; // e.g. the receipt's rows kept by another run: not a race the ledger decides
            }
            log.info("File {}: a source key of rows {}-{} was applied by another transaction meanwhile; applying "
                    + "the batch again with the set-based statements ({})", run.fileId(),
                    batch.rows.get(0).rowNumber(), batch.rows.get(batch.rows.size() - 1).rowNumber(),
                    raced.getMostSpecificCause().getMessage());
            batch.counts = apply(run, batch.rows, true);
            batch.raced = true;
        }
        return batch;
    }

    /** The rows of a batch judged again because a customer's currency changed since they were judged. */
    private static final class CurrencyChangedMeanwhile extends RuntimeException {
        private final transient List<JudgedRow> rows;

        CurrencyChangedMeanwhile(List<JudgedRow> rows) {
            super(null, null, false, false);
            this.rows = rows;
        }
    }

    /**
     * Money keeps its currency. The rules judged the rows against the currencies when the file was opened; here, in
     * the batch's transaction, the batch holds its customers' rows ({@code for share}) until it commits, so a currency
     * change (which takes the row {@code for update}, see CustomerRegistry) either waits and then finds these items
     * unbilled (409), or committed first and the rows it concerns are refused now. Answers {@code rows} itself when
     * nothing changed.
     */
    private List<JudgedRow> withCustomersCurrencies(List<JudgedRow> rows) {
        String[] customers = rows.stream().filter(row -> row.decided() == null && row.item() != null)
                .map(row -> row.item().customerId()).distinct().sorted().toArray(String[]::new);
        if (customers.length == 0) {
            return rows;
        }
        Map<String, Currency> current = new HashMap<>();
        jdbc.sql("select id, currency from customers where id = any(:ids) order by id for share")
                .param("ids", new SqlArrayValue("text", (Object[]) customers))
                .query(rs -> {
                    current.put(rs.getString(1), Currency.getInstance(rs.getString(2).trim()));
                });
        List<JudgedRow> judged = new ArrayList<>(rows.size());
        boolean changed = false;
        for (JudgedRow row : rows) {
            if (row.decided() == null && row.item() != null) {
                Currency itemCurrency = row.item().amount().currency();
                Currency customerCurrency = current.get(row.item().customerId());
                if (!itemCurrency.equals(customerCurrency)) {
                    row = row.refused(LineItemRules.currencyMismatch(row.item().customerId(), itemCurrency,
                            customerCurrency));
                    changed = true;
                }
            }
            judged.add(row);
        }
        return changed ? judged : rows;
    }

    /** The source keys of rows still to be decided by the ledger. */
    private static List<String> pendingKeys(List<JudgedRow> rows) {
        return rows.stream().filter(row -> row.decided() == null).map(JudgedRow::externalId).distinct().toList();
    }

    /**
     * The customer users a receipt's run wrote, by customer and user id with the name written, so that a batch
     * writes only users new to the run or renamed (most rows repeat users already written). Used by the one thread
     * writing the run's batches at a time.
     */
    public static final class LearnedUsers {

        private final Map<List<String>, String> names = new HashMap<>();

        Collection<Ledger.CustomerUser> notYetWritten(Collection<Ledger.CustomerUser> users) {
            return users.stream().filter(user -> {
                List<String> key = List.of(user.customerId(), user.id());
                return !names.containsKey(key) || !Objects.equals(names.get(key), user.name());
            }).toList();
        }

        void written(Collection<Ledger.CustomerUser> users) {
            users.forEach(user -> names.put(List.of(user.customerId(), user.id()), user.name()));
        }
    }

    /** Ids for new source records, drawn from the sequence in one round trip. */
    private List<JudgedRow> withNewRecordIds(List<JudgedRow> rows) {
        List<Long> ids = jdbc.sql("select nextval('source_records_id_seq') from generate_series(1, :n)")
                .param("n", rows.size()).query(Long.class).list();
        List<JudgedRow> kept = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            kept.add(rows.get(i).forRecord(ids.get(i)));
        }
        return kept;
    }

    /**
     * Moves the resume point past the batch, in the batch's transaction, and only while the run still holds the
     * receipt: a run that lost its lease (stalled past it, another node took over) rolls its batch back.
     */
    private void advanceResumePoint(Run run, List<JudgedRow> rows) {
        int updated = jdbc.sql("""
                        update source_files
                        set last_row_number = greatest(last_row_number, :last),
                            rows_done = rows_done + :count, updated_at = :at
                        where id = :file and lease_owner is not distinct from :owner""")
                .param("file", run.fileId()).param("last", rows.get(rows.size() - 1).rowNumber())
                .param("count", rows.size()).param("at", Timestamp.from(run.at())).param("owner", run.leaseOwner())
                .update();
        if (updated == 0) {
            throw new ReceiptBusyException(run.fileId());
        }
    }

    /**
     * Applies rows with the set-based statements. For a receipt's own run ({@code newRecords}) the rows are kept as
     * new source records and the resume point advances; otherwise each row carries the id of the record it replays.
     */
    public Map<Outcome, Integer> apply(Run run, List<JudgedRow> rows, boolean newRecords) {
        if (rows.isEmpty()) {
            return new EnumMap<>(Outcome.class);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return applyOnce(run, rows, newRecords);
            } catch (PessimisticLockingFailureException lost) {
                if (attempt == DEADLOCK_TRIES) {
                    throw lost;
                }
                log.info("File {}: batch lost a lock to another transaction ({}); try {} of {}", run.fileId(),
                        lost.getMostSpecificCause().getMessage(), attempt + 1, DEADLOCK_TRIES);
                pause(attempt);
            }
        }
    }

    /**
     * Keeps a receipt's rows as new records and applies them with the set-based statements in the caller's
     * transaction, once: a lost lock or deadlock is the caller's to retry, with everything else it wrote.
     */
    public Map<Outcome, Integer> applyInTransaction(Run run, List<JudgedRow> rows) {
        return rows.isEmpty() ? new EnumMap<>(Outcome.class) : applyOnce(run, rows, true);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 100L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a batch", e);
        }
    }

    private Map<Outcome, Integer> applyOnce(Run run, List<JudgedRow> rows, boolean newRecords) {
        return transaction.execute(status -> {
            List<JudgedRow> judged = withCustomersCurrencies(rows);
            List<JudgedRow> batch = newRecords ? withNewRecordIds(judged) : judged;
            List<Ledger.NewItem> candidates = batch.stream().filter(row -> row.decided() == null)
                    .map(row -> new Ledger.NewItem(run.partnerId(), row.item(), row.item().contentHash(),
                            row.recordId()))
                    .toList();
            Set<Long> inserted = ledger.insertNew(candidates, run.at());
            // The others lost their key to an earlier row or another transaction: the same verdict, against what
            // holds the key now.
            Map<String, LedgerEntry> holding = ledger.entries(run.partnerId(), candidates.stream()
                    .filter(candidate -> !inserted.contains(candidate.sourceRecordId()))
                    .map(candidate -> candidate.item().externalId()).toList());
            Map<List<String>, Ledger.CustomerUser> learned = new LinkedHashMap<>();
            List<Attempt> attempts = new ArrayList<>(batch.size());
            for (JudgedRow row : batch) {
                if (row.decided() != null) {
                    attempts.add(new Attempt(row, row.decided(), row.reasonCode(), row.message()));
                } else if (inserted.contains(row.recordId())) {
                    attempts.add(new Attempt(row, Outcome.APPLIED, null, null));
                    var item = row.item();
                    learned.put(List.of(item.customerId(), item.customerUserId()),
                            new Ledger.CustomerUser(item.customerId(), item.customerUserId(), item.userName()));
                } else {
                    LedgerEntry holder = holding.get(row.externalId());
                    if (holder == null) {
                        throw new IllegalStateException("source key " + row.externalId() + " of record "
                                + row.recordId() + " was neither inserted nor held");
                    }
                    Verdict verdict = Verdict.of(row.item().contentHash(), holder);
                    attempts.add(new Attempt(row, Outcome.of(verdict), null, verdict.message()));
                }
            }
            ledger.learnUsers(learned.values(), run.at());
            List<Outcome> outcomes;
            if (newRecords) {
                keep(run, attempts);
                advanceResumePoint(run, rows);
                outcomes = attempts.stream().map(Attempt::outcome).toList();
            } else {
                outcomes = recordAttempts(run, attempts);
            }
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            outcomes.forEach(outcome -> counts.merge(outcome, 1, Integer::sum));
            return counts;
        });
    }

    /** An attempt of a set-based batch: the row tried and how it ended. */
    private record Attempt(JudgedRow row, Outcome outcome, String reasonCode, String message) {
    }

    /**
     * Records a replay's (or retry's) attempts of kept records, once per record and run (a run tried again adds
     * none); answers the outcomes newly recorded.
     */
    private List<Outcome> recordAttempts(Run run, List<Attempt> attempts) {
        return jdbc.sql("""
                        insert into later_attempts (source_record_id, partner_id, external_id, channel, run_key, outcome,
                                              reason_code, message, at)
                        select u.record_id, :partner, u.external_id, :channel, :runKey, u.outcome, u.reason_code,
                               u.message, :at
                        from unnest(:records, :keys, :outcomes, :reasons, :messages)
                             as u (record_id, external_id, outcome, reason_code, message)
                        on conflict (source_record_id, run_key) do nothing
                        returning outcome""")
                .param("partner", run.partnerId()).param("channel", run.channel().name())
                .param("runKey", run.runKey()).param("at", Timestamp.from(run.at()))
                .param("records", new SqlArrayValue("int8", attempts.stream().map(a -> a.row().recordId()).toArray()))
                .param("keys", new SqlArrayValue("text", attempts.stream().map(a -> a.row().externalId()).toArray()))
                .param("outcomes", new SqlArrayValue("text", attempts.stream().map(a -> a.outcome().name()).toArray()))
                .param("reasons", new SqlArrayValue("text", attempts.stream().map(Attempt::reasonCode).toArray()))
                .param("messages", new SqlArrayValue("text", attempts.stream().map(Attempt::message).toArray()))
                .query((rs, n) -> Outcome.valueOf(rs.getString(1))).list();
    }

    /** Keeps the rows as sent, each with its receipt attempt: new source records, COPYed. */
    private void keep(Run run, List<Attempt> attempts) {
        CopyText records = new CopyText(attempts.size() * 160);
        String receivedAt = run.at().toString();
        for (Attempt attempt : attempts) {
            JudgedRow row = attempt.row();
            records.field(row.recordId()).field(run.fileId()).field(run.partnerId()).field(row.rowNumber())
                    .field(row.externalId()).field(row.raw()).field(receivedAt).field(attempt.outcome().name())
                    .field(attempt.reasonCode()).last(attempt.message());
        }
        copy.copyIn(COPY_RECORDS, records);
    }
}
