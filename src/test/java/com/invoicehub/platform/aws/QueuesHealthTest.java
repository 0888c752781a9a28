package com.invoicehub.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Readiness must not hang on an SQS that accepts connections and never answers: DOWN within the call timeout. */
class QueuesHealthTest {

    @Test
    void anSqsThatNeverAnswersIsDownWithinTheCallTimeoutAndTheAnswerIsReused() throws Exception {
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .build()) {
                QueuesHealth health = new QueuesHealth(sqs, () -> endpoint + "/queue/items",
                        () -> endpoint + "/queue/items-dlq", Clock.systemUTC());

                long started = System.nanoTime();
                Health first = health.health();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(first.getStatus()).isEqualTo(Status.DOWN);
                assertThat(first.getDetails()).containsKey("reason");
                assertThat(took).isLessThan(QueuesHealth.CALL_TIMEOUT.plusSeconds(5));

                long again = System.nanoTime();
                assertThat(health.health()).isSameAs(first);
                assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(1));
            }
        } finally {
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
