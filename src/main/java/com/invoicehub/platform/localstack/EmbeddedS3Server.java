package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;

/** An S3-compatible endpoint (path-style) for the local stack, objects kept under {@code data/s3}. */
public class EmbeddedS3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);

    private final LocalS3 server;
    private final String endpoint;

    EmbeddedS3Server(LocalStack localStack, int configuredPort) throws IOException {
        Path dataPath = localStack.dataDir().resolve("s3");
        Files.createDirectories(dataPath);
        int port = LocalPorts.claim(configuredPort, "S3 endpoint", "HUB_S3_PORT");
        server = LocalS3.builder()
                .port(port)
                .mode(LocalS3Mode.PERSISTENCE)
                .dataPath(dataPath.toString())
                .build();
        server.start();
        endpoint = "http://localhost:" + port;
        localStack.publish("hub.s3.endpoint", endpoint);
        log.info("Local S3 endpoint at {} with data in {}", endpoint, dataPath);
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
