package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the local stack, its data directory kept under {@code data/postgres}.
 * Stopped by Spring after the DataSource (which depends on it), so Camel and the pool close first.
 */
public class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final Path dataDirectory;
    private final Path workingDirectory;
    private final int port;
    private final boolean unsafeFastWrites;
    private EmbeddedPostgres postgres;

    /** A durable server: fsync, synchronous commit and full-page writes on. */
    EmbeddedPostgresServer(LocalStack localStack, int configuredPort) throws IOException {
        this(localStack, configuredPort, false);
    }

    /**
     * @param unsafeFastWrites fsync, synchronous_commit and full_page_writes off ({@code hub.postgres.unsafe-fast-writes}):
     *                         faster, but a power cut or an OS crash can lose commits already acknowledged, or corrupt
     *                         the data directory. For tests and throw-away data only.
     */
    EmbeddedPostgresServer(LocalStack localStack, int configuredPort, boolean unsafeFastWrites) throws IOException {
        this.dataDirectory = localStack.dataDir().resolve("postgres");
        this.workingDirectory = localStack.dataDir().resolve("postgres-runtime");
        this.unsafeFastWrites = unsafeFastWrites;
        Files.createDirectories(workingDirectory);
        stopOrphanedServer(dataDirectory);
        this.port = LocalPorts.claim(configuredPort, "PostgreSQL", "HUB_POSTGRES_PORT");
        start();
        localStack.publish("hub.postgres.jdbc-url", jdbcUrl());
        localStack.report("postgres", Map.of("jdbcUrl", jdbcUrl(), "user", USER, "port", port,
                "dataDirectory", dataDirectory.toString(), "durable", !unsafeFastWrites));
        log.info("Local PostgreSQL listening on port {} with data in {}{}", port, dataDirectory,
                unsafeFastWrites ? " (unsafe fast writes: fsync and synchronous commit off)" : "");
    }

    /**
     * Starts the server (again, after {@link #stop()}) on the same port and data directory. zonky starts PostgreSQL
     * with fsync off ({@code -F}) and synchronous_commit off; the settings below come after those on its command line,
     * so they win.
     */
    public synchronized void start() throws IOException {
        if (postgres != null) {
            return;
        }
        String durable = unsafeFastWrites ? "off" : "on";
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(workingDirectory.toFile())
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("jit", "off")
                .setServerConfig("fsync", durable)
                .setServerConfig("synchronous_commit", durable)
                .setServerConfig("full_page_writes", durable)
                .start();
    }

    /** Stops the server (a fast shutdown: sessions are ended, nothing committed is lost); the fault tests use it. */
    public synchronized void stop() throws IOException {
        if (postgres != null) {
            try {
                postgres.close();
            } finally {
                postgres = null;
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE + "?user=" + USER;
    }

    /**
     * pg_ctl daemonizes, so a JVM killed with -9 leaves its PostgreSQL running on our data directory; the next
     * start would fail on the lock. Stop that orphan (it is ours: it holds our data directory) and go on.
     */
    private static void stopOrphanedServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> orphan = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        if (orphan.isPresent() && orphan.get().isAlive()
                && orphan.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
            log.warn("Stopping PostgreSQL pid {} left running on {} by an earlier hub", orphan.get().pid(),
                    dataDirectory);
            orphan.get().destroy();
            try {
                orphan.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("PostgreSQL pid " + orphan.get().pid() + " on " + dataDirectory
                        + " did not stop; stop it by hand", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
