package com.invoicehub.platform.sftp;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The hub's outage-aware SFTP logins for the fault suite's own SFTP server (outside any hub process), as the hub's
 * embedded server has them: a login verified before is served from memory while the database is down, any other is
 * told "temporarily unavailable". Test code only.
 */
public final class SharedOutageAwareLogins {

    private SharedOutageAwareLogins() {
    }

    public static SftpAccounts wrap(SftpAccounts accounts, String jdbcUrl, String user) {
        BooleanSupplier databaseAnswers = () -> {
            DriverManager.setLoginTimeout(2);
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, null)) {
                return connection.isValid(2);
            } catch (Exception e) {
                return false;
            }
        };
        return new OutageAwareSftpAccounts(accounts, databaseAnswers, failure -> { }, Duration.ofMinutes(10),
                Clock.systemUTC());
    }
}
