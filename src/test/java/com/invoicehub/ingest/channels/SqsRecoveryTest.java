package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.ingest.pipeline.SourceFiles;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SqsMessages;
import com.invoicehub.support.TestData;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A dead node never costs an SQS message (issue 11): a message whose receipt a dead run still holds waits for that
 * lease and is then taken over, and a database outage longer than the queue's five receives loses nothing.
 * Real ElasticMQ; the test's visibility timeout is 1 s, so a message failed on every receive is buried within seconds.
 */
@HubIntegrationTest
class SqsRecoveryTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    SqsMessages sqsMessages;
    @Autowired
    SourceFiles sourceFiles;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry metrics;

    @Test
    void aMessageWhoseReceiptADeadNodeHoldsIsTakenOverOnceTheLeaseExpires() throws Exception {
        Fixture fixture = fixtures.fresh();
        String externalId = "SQS-" + TestData.id("dead");
        String body = SqsAuthenticationTest.item(fixture, externalId, "1250.00", "MATH 101");
        String webhookId = "msg_" + externalId;
        // Another node received the message, recorded its receipt and was killed: its lease has 10 s to run.
        Path copy = Files.writeString(Files.createTempFile("sqs-dead-", ".json"), body);
        SourceFiles.Receipt receipt = sourceFiles.record(new IncomingFile(fixture.partnerId(), Channel.SQS,
                CanonicalJsonMapping.NAME, "sqs-" + webhookId + ".json", webhookId, copy),
                body.getBytes(StandardCharsets.UTF_8).length, "0".repeat(64));
        Instant leaseEnd = Instant.now().plusSeconds(10);
        assertThat(sourceFiles.claim(receipt.id(), "dead-node/run-1", Duration.ofSeconds(10))).isTrue();
        double leftBefore = deferred("lease_held");

        // SQS delivers the message again (the dead node never deleted it).
        sqsMessages.send(fixture.partnerId(), webhookId, body);

        await().atMost(Duration.ofSeconds(40)).until(() -> attempts(fixture.partnerId()) == 1
                || !sqsMessages.deadLettersContaining(externalId).isEmpty());
        assertThat(sqsMessages.deadLettersContaining(externalId)).as("buried in the dead-letter queue").isEmpty();
        assertThat(jdbc.sql("select outcome from attempts where partner_id = :p").param("p", fixture.partnerId())
                .query(String.class).single()).isEqualTo("APPLIED");
        assertThat(jdbc.sql("select at from attempts where partner_id = :p").param("p", fixture.partnerId())
                .query(Timestamp.class).single().toInstant()).isAfterOrEqualTo(leaseEnd.minusMillis(500));
        assertThat(jdbc.sql("select status from source_files where id = :id").param("id", receipt.id())
                .query(String.class).single()).isEqualTo("DONE");
        // Received twice or three times, never five: it waited out the lease instead of being refused as busy.
        assertThat(deferred("lease_held") - leftBefore).isBetween(1.0, 2.0);
    }

    @Test
    void aDatabaseOutageLongerThanFiveReceivesLosesNoMessage() {
        Fixture fixture = fixtures.fresh();
        String externalId = "SQS-" + TestData.id("outage");
        String trigger = "test_unreachable_" + fixture.partnerId().replace('-', '_');
        // The database refuses this partner's receipts as an unreachable server would (SQLSTATE 53300): a real
        // DataAccessResourceFailureException through the hub's own JDBC path.
        // Each try is counted in a sequence (not rolled back with the refused insert).
        String tries = trigger + "_tries";
        jdbc.sql("create sequence " + tries).update();
        jdbc.sql("""
                create function %s() returns trigger language plpgsql as $$
                begin perform nextval('%s'); raise exception 'test: database unreachable' using errcode = '53300';
                end $$""".formatted(trigger, tries)).update();
        jdbc.sql("create trigger " + trigger + " before insert on source_files for each row when (new.partner_id = '"
                + fixture.partnerId() + "') execute function " + trigger + "()").update();
        double deferredBefore = deferred("infrastructure");
        try {
            sqsMessages.send(fixture.partnerId(), SqsAuthenticationTest.item(fixture, externalId, "1250.00",
                    "MATH 101"));
            // More tries than the queue's maxReceiveCount (5): each try's message is a fresh one, its count at zero.
            await().atMost(Duration.ofSeconds(60)).until(() -> tries(tries) >= 7
                    || !sqsMessages.deadLettersContaining(externalId).isEmpty());
            assertThat(sqsMessages.deadLettersContaining(externalId)).as("buried in the dead-letter queue").isEmpty();
            assertThat(attempts(fixture.partnerId())).isZero();
            // The metric is raised once the 7th try's failure is handled, a moment after the try itself.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(deferred("infrastructure") - deferredBefore).isGreaterThanOrEqualTo(7));
        } finally {
            jdbc.sql("drop trigger if exists " + trigger + " on source_files").update();
            jdbc.sql("drop function if exists " + trigger + "()").update();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(fixture.partnerId()) == 1);
        assertThat(jdbc.sql("select outcome from attempts where partner_id = :p").param("p", fixture.partnerId())
                .query(String.class).single()).isEqualTo("APPLIED");
        assertThat(sqsMessages.deadLettersContaining(externalId)).isEmpty();
    }

    private long tries(String sequence) {
        return jdbc.sql("select case when is_called then last_value else 0 end from " + sequence)
                .query(Long.class).single();
    }

    private double deferred(String cause) {
        return metrics.find("hub.sqs.deferred").tag("cause", cause).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private int attempts(String partnerId) {
        return jdbc.sql("select count(*) from attempts where partner_id = :p").param("p", partnerId)
                .query(Integer.class).single();
    }
}
