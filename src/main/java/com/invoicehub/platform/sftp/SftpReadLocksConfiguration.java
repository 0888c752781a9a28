package com.invoicehub.platform.sftp;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The read lock every file channel shares across nodes: a row per file being read, kept alive while its node works
 * and taken over once it is older than the max age, so a killed node cannot orphan a file.
 */
@Configuration(proxyBeanMethods = false)
class SftpReadLocksConfiguration {

    @Bean
    JdbcOrphanLockAwareIdempotentRepository fileReadLocks(DataSource dataSource, CamelContext camel,
            @Value("${hub.ingest.read-lock-max-age-ms:30000}") long maxAge,
            @Value("${hub.ingest.read-lock-keep-alive-ms:5000}") long keepAlive) {
        JdbcOrphanLockAwareIdempotentRepository repository =
                new JdbcOrphanLockAwareIdempotentRepository(dataSource, "file-read-locks", camel);
        repository.setCreateTableIfNotExists(false);
        repository.setLockMaxAgeMillis(maxAge);
        repository.setLockKeepAliveIntervalMillis(keepAlive);
        return repository;
    }
}
