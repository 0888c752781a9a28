package com.invoicehub.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
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

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.platform.Outages;

/**
 * Applies a batch of judged rows in one transaction, set-based, in one of two ways.
 * <ul>
 * <li>{@link #prepare} and {@link #write} (a receipt's own rows, the bulk of all work): one look-up of the batch's
 * source keys in the ledger decides APPLIED / DUPLICATE / CONFLICT in Java, then source records, line items and
 * attempts are COPYed straight into their tables. The ledger's unique source key is the arbiter: if another
 * transaction applied one of the keys after the look-up, the COPY fails, the batch rolls back and is applied again
 * the second way.</li>
 * <li>{@link #apply} (replays, and a receipt batch that lost such a race): the rows and their verdicts are COPYed
 * into a temporary staging table and three {@code INSERT ... SELECT ... ON CONFLICT} statements decide and apply
 * in the database, so racing transactions wait for each other instead of failing.</li>
 * </ul>
 * Either way a receipt's batch commits with its resume point, so a run cut short resumes after its last whole batch,
 * and customer users are learned (id, latest name) from the rows applied.
 */
@Component
public class BatchApplier {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);

    /** How often a batch that lost a deadlock or lock wait is tried again before its run fails. */
    private static final int DEADLOCK_TRIES = 5;

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transaction;

    BatchApplier(DataSource dataSource, JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transaction) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transaction = transaction;
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
        private final CopyText items;
        private final CopyText attempts;
        private final Map<String, LedgerEntry> applies;
        private final Map<List<String>, LearnedUsers.User> users;
        private Map<Outcome, Integer> counts;
        private boolean raced;

        private PreparedBatch(Run run, List<JudgedRow> rows) {
            this.run = run;
            this.rows = rows;
            this.records = new CopyText(rows.size() * 160);
            this.items = new CopyText(rows.size() * 160);
            this.attempts = new CopyText(rows.size() * 120);
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
            return batch;
        }
        List<JudgedRow> kept = withNewRecordIds(rows);
        Map<String, LedgerEntry> held = ledgerEntries(run.partnerId(), kept);
        if (writing != null) {
            held.putAll(writing.applies);
        }
        String at = run.at().toString();
        String channel = run.channel().name();
        List<LedgerRow> toLedger = new ArrayList<>();
        for (JudgedRow row : kept) {
            batch.records.field(row.recordId()).field(run.fileId()).field(run.partnerId()).field(row.rowNumber())
                    .field(row.externalId()).field(row.raw()).last(at);
            Outcome outcome = row.decided();
            String message = row.message();
            var item = row.item();
            if (outcome == null) {
                String hash = item.contentHash();
                LedgerEntry entry = held.get(item.externalId());
                if (entry == null) {
                    outcome = Outcome.APPLIED;
                    LedgerEntry applied = new LedgerEntry(hash, row.recordId());
                    held.put(item.externalId(), applied);
                    batch.applies.put(item.externalId(), applied);
                    toLedger.add(new LedgerRow(row, hash));
                    batch.users.put(List.of(item.customerId(), item.customerUserId()),
                            new LearnedUsers.User(item.customerId(), item.customerUserId(), item.userName()));
                } else if (entry.contentHash().equals(hash)) {
                    outcome = Outcome.DUPLICATE;
                    message = "already applied from record " + entry.sourceRecordId();
                } else {
                    outcome = Outcome.CONFLICT;
                    message = "applied before from record " + entry.sourceRecordId()
                            + " with different content; nothing changed";
                }
            }
            batch.counts.merge(outcome, 1, Integer::sum);
            batch.attempts.field(row.recordId()).field(run.partnerId()).field(row.externalId()).field(channel)
                    .field(run.runKey()).field(outcome.name()).field(row.reasonCode()).field(message).last(at);
        }
        // In key order, as every writer of the ledger does: two batches sharing keys wait for each other, never
        // deadlock.
        toLedger.sort(java.util.Comparator.comparing(ledgerRow -> ledgerRow.row().externalId()));
        for (LedgerRow ledgerRow : toLedger) {
            JudgedRow row = ledgerRow.row();
            var item = row.item();
            batch.items.field(run.partnerId()).field(item.externalId()).field(item.customerId())
                    .field(item.customerUserId()).field(item.userName()).field(item.expenseType().name())
                    .field(item.amount().toPlainString())
                    .field(item.amount().currency().getCurrencyCode()).field(item.serviceDate().toString())
                    .field(item.description()).field(ledgerRow.hash()).field(row.recordId()).last(at);
        }
        return batch;
    }

    /**
     * Writes a prepared batch in one transaction: COPY into source records, line items and attempts, learn users,
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
                copyIn("copy source_records (id, source_file_id, partner_id, row_number, external_id, raw, "
                        + "received_at) from stdin", batch.records);
                copyIn("copy line_items (partner_id, external_id, customer_id, customer_user_id, user_name, "
                        + "expense_type, amount, currency, service_date, description, content_hash, source_record_id, "
                        + "applied_at) from stdin", batch.items);
                copyIn("copy attempts (source_record_id, partner_id, external_id, channel, run_key, outcome, "
                        + "reason_code, message, at) from stdin", batch.attempts);
                learn(users.notYetWritten(batch.users.values()), Timestamp.from(run.at()));
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
            if (raced instanceof DuplicateKeyException && !violatesLedgerKey(raced)) {
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

    private static boolean violatesLedgerKey(DataAccessException duplicate) {
        return duplicate.getMostSpecificCause() instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && "line_items".equals(psql.getServerErrorMessage().getTable());
    }

    /** A row a batch applies, with the hash of its content. */
    private record LedgerRow(JudgedRow row, String hash) {
    }

    /** What the ledger holds for a source key: the hash of its content and the record it was applied from. */
    private record LedgerEntry(String contentHash, long sourceRecordId) {
    }

    /** The ledger's entries for the batch's source keys, one look-up. */
    private Map<String, LedgerEntry> ledgerEntries(String partnerId, List<JudgedRow> rows) {
        String[] keys = rows.stream().filter(row -> row.decided() == null).map(JudgedRow::externalId)
                .distinct().toArray(String[]::new);
        Map<String, LedgerEntry> entries = new HashMap<>();
        if (keys.length == 0) {
            return entries;
        }
        jdbc.sql("""
                        select external_id, content_hash, source_record_id from line_items
                        where partner_id = :partner and external_id = any(:keys)""")
                .param("partner", partnerId).param("keys", new SqlArrayValue("text", (Object[]) keys))
                .query(rs -> {
                    entries.put(rs.getString(1), new LedgerEntry(rs.getString(2), rs.getLong(3)));
                });
        return entries;
    }

    /** Learned customer users: a new one is added, a known one takes the latest name. */
    private void learn(Collection<LearnedUsers.User> unordered, Timestamp at) {
        if (unordered.isEmpty()) {
            return;
        }
        // In key order, as every writer of customer_users does, so two batches sharing users never deadlock.
        List<LearnedUsers.User> users = unordered.stream().sorted(LearnedUsers.User.KEY_ORDER).toList();
        jdbc.sql("""
                        insert into customer_users (customer_id, id, name, first_seen_at, updated_at)
                        select u.customer_id, u.id, u.name, :at, :at
                        from unnest(:customers, :ids, :names) with ordinality as u (customer_id, id, name, n)
                        where not exists (select 1 from customer_users cu
                                          where cu.customer_id = u.customer_id and cu.id = u.id
                                            and cu.name is not distinct from u.name)
                        order by u.n
                        on conflict (customer_id, id) do update
                            set name = coalesce(excluded.name, customer_users.name), updated_at = excluded.updated_at
                        """)
                .param("customers", textArray(users, LearnedUsers.User::customerId))
                .param("ids", textArray(users, LearnedUsers.User::id))
                .param("names", textArray(users, LearnedUsers.User::name))
                .param("at", at).update();
    }

    private static <T> SqlArrayValue textArray(Collection<T> values, java.util.function.Function<T, String> field) {
        return new SqlArrayValue("text", values.stream().map(field).toArray());
    }

    /**
     * The customer users a receipt's run wrote, by customer and user id with the name written, so that a batch
     * writes only users new to the run or renamed (most rows repeat users already written). Used by the one thread
     * writing the run's batches at a time.
     */
    public static final class LearnedUsers {

        record User(String customerId, String id, String name) {
            static final java.util.Comparator<User> KEY_ORDER = java.util.Comparator.comparing(User::customerId)
                    .thenComparing(User::id);
        }

        private final Map<List<String>, String> names = new HashMap<>();

        Collection<User> notYetWritten(Collection<User> users) {
            return users.stream().filter(user -> {
                List<String> key = List.of(user.customerId(), user.id());
                return !names.containsKey(key) || !Objects.equals(names.get(key), user.name());
            }).toList();
        }

        void written(Collection<User> users) {
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
            Timestamp at = Timestamp.from(run.at());
            List<JudgedRow> judged = withCustomersCurrencies(rows);
            List<JudgedRow> batch = newRecords ? keep(run, judged) : judged;
            stage(batch);
            jdbc.sql("""
                            insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                                    expense_type, amount, currency, service_date, description,
                                                    content_hash, source_record_id, applied_at)
                            select :partner, b.external_id, b.customer_id, b.customer_user_id, b.user_name,
                                   b.expense_type, b.amount, b.currency, b.service_date, b.description,
                                   b.content_hash, b.record_id, :at
                            from ingest_batch b
                            where b.decided is null
                            order by b.external_id, b.row_number -- key order: racing batches never deadlock
                            on conflict (partner_id, external_id) do nothing
                            """)
                    .param("partner", run.partnerId()).param("at", at).update();
            List<String> outcomes = jdbc.sql("""
                            insert into attempts (source_record_id, partner_id, external_id, channel, run_key, outcome,
                                                  reason_code, message, at)
                            select b.record_id, :partner, b.external_id, :channel, :runKey,
                                   case when b.decided is not null then b.decided
                                        when li.source_record_id = b.record_id and li.applied_at = :at then 'APPLIED'
                                        when li.content_hash = b.content_hash then 'DUPLICATE'
                                        else 'CONFLICT' end,
                                   b.reason_code,
                                   case when b.decided is not null then b.message
                                        when li.source_record_id = b.record_id and li.applied_at = :at then null
                                        when li.content_hash = b.content_hash then
                                             'already applied from record ' || li.source_record_id
                                        else 'applied before from record ' || li.source_record_id
                                             || ' with different content; nothing changed' end,
                                   :at
                            from ingest_batch b
                            left join line_items li on li.partner_id = :partner and li.external_id = b.external_id
                                                   and b.decided is null
                            on conflict (source_record_id, run_key) do nothing
                            returning outcome
                            """)
                    .param("partner", run.partnerId()).param("channel", run.channel().name())
                    .param("runKey", run.runKey()).param("at", at).query(String.class).list();
            jdbc.sql("""
                            insert into customer_users (customer_id, id, name, first_seen_at, updated_at)
                            select distinct on (b.customer_id, b.customer_user_id)
                                   b.customer_id, b.customer_user_id, b.user_name, :at, :at
                            from ingest_batch b
                            join line_items li on li.partner_id = :partner and li.external_id = b.external_id
                                              and li.applied_at = :at and li.source_record_id = b.record_id
                            where b.decided is null
                              and not exists (select 1 from customer_users cu
                                              where cu.customer_id = b.customer_id and cu.id = b.customer_user_id
                                                and cu.name is not distinct from b.user_name)
                            order by b.customer_id, b.customer_user_id, b.row_number desc
                            on conflict (customer_id, id) do update
                                set name = coalesce(excluded.name, customer_users.name), updated_at = excluded.updated_at
                            """)
                    .param("partner", run.partnerId()).param("at", at).update();
            if (newRecords) {
                advanceResumePoint(run, rows);
            }
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            outcomes.forEach(outcome -> counts.merge(Outcome.valueOf(outcome), 1, Integer::sum));
            return counts;
        });
    }

    /** Keeps the rows as sent: new source records, COPYed with ids drawn in one round trip. */
    private List<JudgedRow> keep(Run run, List<JudgedRow> rows) {
        List<JudgedRow> kept = withNewRecordIds(rows);
        CopyText copy = new CopyText(rows.size() * 160);
        String receivedAt = run.at().toString();
        for (JudgedRow row : kept) {
            copy.field(row.recordId()).field(run.fileId()).field(run.partnerId()).field(row.rowNumber())
                    .field(row.externalId()).field(row.raw()).last(receivedAt);
        }
        copyIn("copy source_records (id, source_file_id, partner_id, row_number, external_id, raw, received_at) "
                + "from stdin", copy);
        return kept;
    }

    private void stage(List<JudgedRow> rows) {
        jdbc.sql("""
                        create temporary table if not exists ingest_batch (
                            record_id bigint, row_number int, external_id text, customer_id text,
                            customer_user_id text, user_name text, expense_type text, amount numeric(19,4),
                            currency char(3), service_date date, description text, content_hash char(64),
                            decided text, reason_code text, message text
                        ) on commit delete rows""").update();
        CopyText copy = new CopyText(rows.size() * 200);
        for (JudgedRow row : rows) {
            var item = row.item();
            copy.field(row.recordId()).field(row.rowNumber()).field(row.externalId())
                    .field(item == null ? null : item.customerId())
                    .field(item == null ? null : item.customerUserId())
                    .field(item == null ? null : item.userName())
                    .field(item == null ? null : item.expenseType().name())
                    .field(item == null ? null : item.amount().toPlainString())
                    .field(item == null ? null : item.amount().currency().getCurrencyCode())
                    .field(item == null ? null : item.serviceDate().toString())
                    .field(item == null ? null : item.description())
                    .field(item == null ? null : item.contentHash())
                    .field(row.decided() == null ? null : row.decided().name())
                    .field(row.reasonCode())
                    .last(row.message());
        }
        copyIn("copy ingest_batch from stdin", copy);
        // A fresh temporary table has no statistics: without them the planner may scan the ledger per batch.
        jdbc.sql("analyze ingest_batch").update();
    }

    private void copyIn(String sql, CopyText rows) {
        if (rows.isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, rows.reader());
        } catch (SQLException e) {
            DataAccessException translated = jdbcTemplate.getExceptionTranslator().translate("COPY", sql, e);
            throw translated != null ? translated : new UncategorizedSQLException("COPY", sql, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
