package com.invoicehub.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the hub notices a database outage and what it tells callers meanwhile (application.yaml {@code hub.database}):
 * how often and how long the background check asks the database, the {@code Retry-After} (seconds) a refused HTTP
 * call gets, and how long a partner's SFTP login verified against the database may be accepted from memory while
 * the database is unreachable.
 */
@ConfigurationProperties("hub.database")
public record DatabaseSettings(Duration checkInterval, Duration checkTimeout, int retryAfterSeconds,
                               Duration sftpLoginCacheTtl) {

    public DatabaseSettings {
        checkInterval = checkInterval == null ? Duration.ofSeconds(1) : checkInterval;
        checkTimeout = checkTimeout == null ? Duration.ofSeconds(2) : checkTimeout;
        retryAfterSeconds = retryAfterSeconds <= 0 ? 5 : retryAfterSeconds;
        sftpLoginCacheTtl = sftpLoginCacheTtl == null ? Duration.ofMinutes(10) : sftpLoginCacheTtl;
    }
}
