package com.invoicehub.platform.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/**
 * The local stack's PostgreSQL is durable unless told otherwise: zonky's own defaults (fsync and synchronous commit
 * off) would lose acknowledged commits on a power cut. Spring-free: each case is its own server.
 */
@Tag("integration") // real embedded servers: run by Failsafe with the other integration tests
class EmbeddedPostgresServerTest {

    @Test
    void theDefaultIsDurable() throws Exception {
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(newStack(), 0)) {
            assertThat(settings(server.jdbcUrl())).isEqualTo(Map.of(
                    "fsync", "on", "synchronous_commit", "on", "full_page_writes", "on"));
        }
    }

    @Test
    void unsafeFastWritesAreAnExplicitChoice() throws Exception {
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(newStack(), 0, true)) {
            assertThat(settings(server.jdbcUrl())).isEqualTo(Map.of(
                    "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));
        }
    }

    @Test
    void stopAndStartKeepThePortAndTheData() throws Exception {
        try (EmbeddedPostgresServer server = new EmbeddedPostgresServer(newStack(), 0)) {
            execute(server.jdbcUrl(), "create table kept (value text); insert into kept values ('committed')");
            server.stop();
            server.start();
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("select value from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("committed");
            }
        }
    }

    private LocalStack newStack() {
        return new LocalStack(Path.of("target/test-data/postgres-" + UUID.randomUUID()), new StandardEnvironment());
    }

    private static Map<String, String> settings(String url) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
                try (ResultSet rs = statement.executeQuery("show " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        }
        return settings;
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
