package com.invoicehub.platform.localstack;

import java.io.IOException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import com.invoicehub.platform.HubProperties;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The local stack: each outside piece that is not pointed at a real service runs here as a real embedded
 * server. Each is a bean, so Spring stops it after everything that uses it (Camel first).
 */
@Configuration(proxyBeanMethods = false)
class LocalStackConfiguration {

    @Bean
    LocalStack localStack(HubProperties hub, ConfigurableEnvironment environment) {
        return new LocalStack(hub.dataDir(), environment);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlankProperty("spring.datasource.url")
    static class Postgres {

        @Bean(destroyMethod = "close")
        EmbeddedPostgresServer embeddedPostgres(LocalStack localStack, HubProperties hub) throws IOException {
            return new EmbeddedPostgresServer(localStack, hub.postgres().port(), hub.postgres().unsafeFastWrites());
        }

        /** The pool, with every {@code spring.datasource.hikari.*} setting applied as for an outside database. */
        @Bean(destroyMethod = "close")
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource dataSource(EmbeddedPostgresServer postgres) {
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("hub");
            pool.setJdbcUrl(postgres.jdbcUrl());
            pool.setUsername(EmbeddedPostgresServer.USER);
            pool.setMaximumPoolSize(20);
            return pool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlankProperty("hub.s3.endpoint")
    static class S3 {

        @Bean(destroyMethod = "close")
        EmbeddedS3Server embeddedS3Server(LocalStack localStack, HubProperties hub) throws IOException {
            return new EmbeddedS3Server(localStack, hub.s3().port());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlankProperty("hub.sqs.endpoint")
    static class Sqs {

        @Bean(destroyMethod = "close")
        EmbeddedSqsServer embeddedSqsServer(LocalStack localStack, HubProperties hub) {
            return new EmbeddedSqsServer(localStack, hub.sqs().port(), hub.sqs().region());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlankProperty("spring.mail.host")
    static class Mail {

        @Bean(destroyMethod = "close")
        EmbeddedMailServer embeddedMailServer(LocalStack localStack, HubProperties hub) {
            String password = hub.mail().localPassword() == null || hub.mail().localPassword().isBlank()
                    ? localStack.secrets().password("mail.password") : hub.mail().localPassword();
            return new EmbeddedMailServer(localStack, hub.mail().smtpPort(), hub.mail().imapPort(), password);
        }
    }
}
