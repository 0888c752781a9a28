package com.invoicehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import com.invoicehub.ingest.pipeline.SourceFiles;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SftpSession;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A file whose receipt another run holds (a dead node's lease not yet expired) stays in the inbox, logged as one
 * INFO line per poll rather than an error with a stack trace, and is processed once the lease is gone.
 */
@HubIntegrationTest
class BusyReceiptTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    CamelContext camel;
    @Autowired
    PartnerSftpServer sftpServer;
    @Autowired
    SourceFiles sourceFiles;

    @Test
    void aFileHeldByAnotherRunWaitsQuietlyAndIsProcessedWhenTheLeaseIsGone() throws Exception {
        Fixture fixture = fixtures.fresh();
        fixtures.declare(fixture.partnerId(), "sftp");
        String route = fixture.partnerId() + "-sftp";
        String inbox = "/" + fixture.partnerId() + "/inbox/";
        Path content = fixtures.csv(fixtures.rows(fixture, 3));
        camel.getRouteController().stopRoute(route);

        long receiptId;
        try (SftpSession session = hubSession()) {
            SftpClient sftp = session.sftp();
            try (OutputStream out = sftp.write(inbox + "busy.csv")) {
                out.write(Files.readAllBytes(content));
            }
            SftpClient.Attributes attributes = sftp.stat(inbox + "busy.csv");
            String receiptKey = "busy.csv|" + attributes.getSize() + "|" + attributes.getModifyTime().toMillis();
            SourceFiles.Receipt receipt = sourceFiles.record(new IncomingFile(fixture.partnerId(), Channel.SFTP,
                    "standard-csv", "busy.csv", receiptKey, content), attributes.getSize(), "0".repeat(64));
            receiptId = receipt.id();
        }
        assertThat(sourceFiles.claim(receiptId, "dead-node/run-1", Duration.ofMinutes(2))).isTrue();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            camel.getRouteController().startRoute(route);
            await().atMost(Duration.ofSeconds(20)).until(() -> busyLines(logged).size() >= 2); // two polls at least
            assertThat(exists(inbox + "busy.csv")).isTrue();
            assertThat(List.copyOf(logged.list)).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN)
                    && (mentionsBusy(event.getFormattedMessage()) || event.getThrowableProxy() != null
                    && event.getThreadName().contains(fixture.partnerId())));
            assertThat(busyLines(logged)).allMatch(event -> event.getLevel() == Level.INFO);
        } finally {
            root.detachAppender(logged);
        }

        sourceFiles.release(receiptId, "dead-node/run-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> exists("/" + fixture.partnerId() + "/processed/busy.csv"));
        assertThat(sourceFiles.find(receiptId).orElseThrow().status()).isEqualTo(FileStatus.DONE);
    }

    private static List<ILoggingEvent> busyLines(ListAppender<ILoggingEvent> logged) {
        return List.copyOf(logged.list).stream()
                .filter(event -> event.getFormattedMessage().contains("is held by another run")).toList();
    }

    private static boolean mentionsBusy(String text) {
        return text != null && (text.contains("busy.csv") || text.contains("ReceiptBusyException")
                || text.contains("is being processed by another"));
    }

    private boolean exists(String path) throws Exception {
        try (SftpSession session = hubSession()) {
            session.sftp().stat(path);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private SftpSession hubSession() throws java.io.IOException {
        return SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), "_hub",
                "test-sftp-hub-password");
    }
}
