package com.invoicehub.platform.localstack;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElasticMQ, an SQS-compatible endpoint, for the local stack. Queues and their redrive policy are made by the
 * hub through the SDK at start-up, exactly as against real SQS. Messages live in memory only (see README).
 */
public class EmbeddedSqsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSqsServer.class);

    private final SQSRestServer server;
    private final String endpoint;

    EmbeddedSqsServer(LocalStack localStack, int configuredPort, String region) {
        int port = LocalPorts.claim(configuredPort, "SQS endpoint", "HUB_SQS_PORT");
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).withAWSRegion(region)
                .withServerAddress(new NodeAddress("http", "localhost", port, "")).start();
        server.waitUntilStarted();
        endpoint = "http://localhost:" + port;
        localStack.publish("hub.sqs.endpoint", endpoint);
        log.info("Local SQS endpoint at {}", endpoint);
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
