package com.invoicehub.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;

/**
 * After a failed try a receipt waits before the next (30 s, then doubling), so a failure that is not an outage is not
 * given up within a few polls; a channel that asks meanwhile is told until when.
 */
@HubIntegrationTest
class SourceFilesBackoffTest {

    private static final Instant T0 = Instant.parse("2031-03-01T10:00:00Z");

    @Autowired
    JdbcClient jdbc;
    @Autowired
    IngestFixtures fixtures;

    private SourceFiles at(Instant now) {
        return new SourceFiles(jdbc, Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(20),
                Duration.ofMinutes(15), 5, Duration.ofSeconds(30));
    }

    @Test
    void aFailedTryWaitsThirtySecondsThenSixty() {
        Fixture fixture = fixtures.fresh();
        long id = at(T0).record(fixtures.incoming(fixture, "standard-csv", fixtures.csv(fixtures.rows(fixture, 1))),
                1, "0".repeat(64)).id();
        Duration lease = Duration.ofSeconds(20);

        assertThat(at(T0).claim(id, "node-a/run-1", lease)).isTrue();
        assertThat(at(T0).failedTry(id, "node-a/run-1", "it broke")).isFalse();
        at(T0).release(id, "node-a/run-1");

        assertThat(at(T0.plusSeconds(10)).claim(id, "node-b/run-2", lease)).isFalse();
        assertThat(at(T0.plusSeconds(10)).busyUntil(id)).contains(T0.plusSeconds(30));
        assertThat(at(T0.plusSeconds(30)).claim(id, "node-b/run-2", lease)).isTrue();
        Instant second = T0.plusSeconds(30);
        assertThat(at(second).failedTry(id, "node-b/run-2", "it broke again")).isFalse();
        at(second).release(id, "node-b/run-2");

        assertThat(at(second.plusSeconds(59)).claim(id, "node-a/run-3", lease)).isFalse();
        assertThat(at(second.plusSeconds(59)).busyUntil(id)).contains(second.plusSeconds(60));
        assertThat(at(second.plusSeconds(60)).claim(id, "node-a/run-3", lease)).isTrue();
        assertThat(at(second.plusSeconds(61)).claim(id, "node-b/run-4", lease)).isFalse(); // run-3 holds it now
    }
}
