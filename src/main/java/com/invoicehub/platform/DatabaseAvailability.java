package com.invoicehub.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Whether the database answers, known without waiting for it: a background check asks it {@code select 1} every
 * {@code hub.database.check-interval} on a connection of its own (outside the pool, so a busy pool is not mistaken for
 * an outage) with a short timeout, and a caller that lost its connection reports it at once. While the database is
 * unreachable, callers fail fast (HTTP 503 with {@code Retry-After}, SFTP logins refused as a temporary failure) and
 * health is DOWN; the first check that gets an answer makes it available again. Prometheus sees the same answer as
 * {@code hub_database_available} (1 or 0), read from memory, so a scrape never waits for the database.
 */
@Component
public class DatabaseAvailability implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

    /** Whether the database answered its last check, since when, and why not. */
    public record State(boolean available, Instant since, String reason) {
    }

    private final DataSource dataSource;
    private final DatabaseSettings settings;
    private final Clock clock;
    private final AtomicReference<State> state;
    private volatile String product = "unknown";
    private ScheduledExecutorService checker;
    private Connection connection; // used by the checker thread only

    DatabaseAvailability(DataSource dataSource, DatabaseSettings settings, Clock clock, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
        this.state = new AtomicReference<>(new State(true, clock.instant(), null));
        Gauge.builder("hub.database.available", this, database -> database.isAvailable() ? 1 : 0)
                .description("1 while the database answers the node's own check (select 1 outside the pool), else 0")
                .register(meters);
    }

    public boolean isAvailable() {
        return state.get().available();
    }

    /**
     * A gauge's reading from the database, or NaN at once while the database does not answer its check: a scrape
     * never waits for the pool's connection timeout on each such gauge (which ran it past Prometheus' scrape timeout,
     * so that no figure of the node was seen, hub_database_available included).
     */
    public double readingOrNaN(Supplier<? extends Number> query) {
        return isAvailable() ? query.get().doubleValue() : Double.NaN;
    }

    public State state() {
        return state.get();
    }

    /** The database product the check talks to (PostgreSQL), for the health details. */
    public String product() {
        return product;
    }

    public int retryAfterSeconds() {
        return settings.retryAfterSeconds();
    }

    /**
     * Whether a failure means the database cannot be used right now (no connection, pool timed out, connection lost,
     * server shutting down or out of resources) rather than a fault of the statement: answered as 503 + Retry-After.
     */
    public static boolean isUnavailable(Throwable failure) {
        return Outages.isDatabaseOutage(failure);
    }

    /**
     * A caller's failure: if it shows the database unreachable (a connection refused or lost, the server shutting
     * down), callers fail fast from now on until the next check gets an answer. A pool that is merely busy does not
     * count: its callers get 503 but the others go on.
     */
    public void reportFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (connectionLost(cause)) {
                markDown(cause.getMessage());
                return;
            }
        }
    }

    /** SQLSTATE class 08 (connection exception) or 57P01-57P03 (shutting down, cannot connect now). */
    private static boolean connectionLost(Throwable failure) {
        if (!(failure instanceof SQLException sql) || sql.getSQLState() == null) {
            return false;
        }
        String code = sql.getSQLState();
        return code.startsWith("08") || code.startsWith("57P0");
    }

    /** One check: {@code select 1} on the checker's own connection, then once more on a fresh one before giving up. */
    void check() {
        try {
            try {
                ask();
            } catch (SQLException | RuntimeException first) {
                closeConnection();
                ask();
            }
            markUp();
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            markDown(e.getMessage());
        }
    }

    private void ask() throws SQLException {
        if (connection == null) {
            connection = open();
            product = connection.getMetaData().getDatabaseProductName();
        }
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.execute("select 1");
        }
    }

    /**
     * The pool's own URL and credentials with short connect and socket timeouts; a pool other than Hikari is asked
     * through itself (then a busy pool delays the check, though never past its own connection timeout).
     */
    private Connection open() throws SQLException {
        if (!dataSource.isWrapperFor(HikariDataSource.class)) {
            return dataSource.getConnection();
        }
        HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        String seconds = Integer.toString(timeoutSeconds());
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("ApplicationName", "invoice-hub database check");
        return DriverManager.getConnection(hikari.getJdbcUrl(), properties);
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (settings.checkTimeout().toMillis() + 999) / 1000);
    }

    private void markDown(String reason) {
        State before = state.getAndUpdate(now -> now.available() ? new State(false, clock.instant(), reason) : now);
        if (before.available()) {
            log.warn("The database does not answer ({}): HTTP calls answer 503, partner SFTP logins are refused as a "
                    + "temporary failure (or accepted from the recent-login cache) until it does", reason);
        }
    }

    private void markUp() {
        State before = state.getAndUpdate(now -> now.available() ? now : new State(true, clock.instant(), null));
        if (!before.available()) {
            log.info("The database answers again (it did not since {})", before.since());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being thrown away because it failed
            }
            connection = null;
        }
    }

    @Override
    public synchronized void start() {
        if (checker != null) {
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "database-check");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.checkInterval().toMillis();
        checker.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checker == null) {
            return;
        }
        checker.shutdownNow();
        try {
            checker.awaitTermination(settings.checkTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checker = null;
        closeConnection();
    }

    @Override
    public synchronized boolean isRunning() {
        return checker != null;
    }
}
