package com.invoicehub.security;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * While {@code HUB_ENCRYPTION_KEY_PREVIOUS} is set (step 2 of a rotation), rewrites every value of every {@link EncryptedColumn} still
 * stored under the previous key under the current one (route {@code encryption-key-rotation}). Each row is replaced
 * only if it still holds the value read, so two nodes doing it at once, or a rotation of the partner's secret in
 * between, never lose a write; a pass that fails (the database away) is simply done again at the next one. The gauge
 * {@code hub_secrets_under_previous_key} and the log say when nothing is left, and the previous key can go.
 */
@Component
public class EncryptionKeyRotation {

    private static final Logger log = LoggerFactory.getLogger(EncryptionKeyRotation.class);

    private record Stored(String id, String value) {
    }

    private final SecretCipher cipher;
    private final JdbcClient jdbc;
    private final List<EncryptedColumn> columns;
    private final AtomicLong left = new AtomicLong(-1);

    EncryptionKeyRotation(SecretCipher cipher, JdbcClient jdbc, List<EncryptedColumn> columns,
                          MeterRegistry metrics) {
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.columns = columns;
        Gauge.builder("hub_secrets_under_previous_key", left, value -> cipher.rotating() ? value.get() : 0)
                .description("Stored secrets still under HUB_ENCRYPTION_KEY_PREVIOUS (-1: not counted yet)")
                .register(metrics);
    }

    /** One pass over every encrypted column; answers how many values are still under the previous key. */
    public long reencryptAll() {
        if (!cipher.rotating()) {
            return 0;
        }
        long moved = 0;
        long remaining = 0;
        for (EncryptedColumn column : columns) {
            for (Stored stored : jdbc.sql("select " + column.idColumn() + "::text as id, " + column.column()
                            + " as value from " + column.table() + " where " + column.column() + " is not null")
                    .query((rs, n) -> new Stored(rs.getString("id"), rs.getString("value"))).list()) {
                try {
                    switch (move(column, stored.id(), stored.value())) {
                        case MOVED -> moved++;
                        // Changed since it was read (another node, a partner's rotation): the next pass looks again.
                        case CHANGED_MEANWHILE -> remaining++;
                        case ALREADY_CURRENT -> { }
                    }
                } catch (DataAccessException e) {
                    throw e;
                } catch (RuntimeException e) {
                    remaining++;
                    log.error("{}.{} of {} is readable under none of the hub's keys: left as it is",
                            column.table(), column.column(), stored.id());
                }
            }
        }
        left.set(remaining);
        if (moved > 0 || remaining > 0) {
            log.info("Encryption key rotation: {} secrets re-encrypted under the current key by this node, {} left "
                    + "under the previous one", moved, remaining);
        } else {
            log.info("Encryption key rotation: every stored secret is under the current key; if every node had this "
                    + "key before this pass began, HUB_ENCRYPTION_KEY_PREVIOUS can be removed");
        }
        return remaining;
    }

    /** What {@link #move} did with one value. */
    enum Move { MOVED, ALREADY_CURRENT, CHANGED_MEANWHILE }

    /**
     * Moves one value to the current key if it is under the previous one and the row still holds it (compare and
     * set): a row rotated or re-encrypted by someone else since it was read is left to them.
     */
    Move move(EncryptedColumn column, String id, String before) {
        String reencrypted = cipher.reencrypted(before).orElse(null);
        if (reencrypted == null) {
            return Move.ALREADY_CURRENT;
        }
        return jdbc.sql("update " + column.table() + " set " + column.column() + " = :now where "
                        + column.idColumn() + "::text = :id and " + column.column() + " = :before")
                .param("now", reencrypted).param("id", id).param("before", before).update() == 1
                ? Move.MOVED : Move.CHANGED_MEANWHILE;
    }
}
