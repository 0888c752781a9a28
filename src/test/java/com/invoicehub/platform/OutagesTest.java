package com.invoicehub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What passes as an outage (tried again, never counted against an item) and what is the item's own failure. */
class OutagesTest {

    @Test
    void theDatabaseOrANetworkNotAnsweringIsAnOutage() {
        assertThat(Outages.isOutage(new CannotGetJdbcConnectionException("pool", new SQLException("refused",
                "08001")))).isTrue();
        assertThat(Outages.isOutage(new UncategorizedSQLException("COPY", "copy",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(Outages.isOutage(new IllegalStateException("upload", new ConnectException("refused")))).isTrue();
        assertThat(Outages.isOutage(S3Exception.builder().statusCode(503).message("SlowDown").build())).isTrue();
    }

    @Test
    void theSqlStateDecidesWhateverClassSpringFilesItUnder() {
        var translator = new org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator("PostgreSQL");
        // Spring files 54000 (a key too big for its index) under resource failures: it is the row's fault.
        assertThat(Outages.isOutage(translator.translate("COPY", "copy",
                new SQLException("index row size 3016 exceeds btree version 4 maximum 2704", "54000")))).isFalse();
        assertThat(Outages.isOutage(translator.translate("COPY", "copy",
                new SQLException("sorry, too many clients already", "53300")))).isTrue();
        assertThat(Outages.isOutage(translator.translate("COPY", "copy",
                new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(Outages.isOutage(translator.translate("COPY", "copy",
                new SQLException("numeric field overflow", "22003")))).isFalse();
    }

    @Test
    void aRefusalOfTheWorkItselfIsNot() {
        assertThat(Outages.isOutage(new DataIntegrityViolationException("numeric field overflow",
                new SQLException("numeric field overflow", "22003")))).isFalse();
        assertThat(Outages.isOutage(NoSuchKeyException.builder().statusCode(404).message("gone").build())).isFalse();
        assertThat(Outages.isOutage(new IllegalStateException("simulated crash"))).isFalse();
    }
}
