package com.invoicehub.platform.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/** Restarting the local stack keeps its data: the database and the secrets it made up. */
@Tag("integration") // real embedded servers: run by Failsafe with the other integration tests
class LocalStackRestartTest {

    private final Path dataDir = Path.of("target/test-data/restart-" + UUID.randomUUID());

    @Test
    void postgresKeepsItsDataAcrossARestart() throws Exception {
        try (EmbeddedPostgresServer first = new EmbeddedPostgresServer(newStack(), 0)) {
            execute(first.jdbcUrl(), "create table kept (value text); insert into kept values ('before restart')");
        }
        try (EmbeddedPostgresServer second = new EmbeddedPostgresServer(newStack(), 0)) {
            assertThat(query(second.jdbcUrl(), "select value from kept")).isEqualTo("before restart");
        }
    }

    @Test
    void localSecretsAreMadeOnceAndKept() {
        String password = new LocalSecrets(dataDir).password("ops.password");
        assertThat(new LocalSecrets(dataDir).password("ops.password")).isEqualTo(password);
        assertThat(new LocalSecrets(dataDir).key("encryption.key")).isEqualTo(new LocalSecrets(dataDir)
                .key("encryption.key"));
    }

    private LocalStack newStack() {
        return new LocalStack(dataDir, new StandardEnvironment());
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
