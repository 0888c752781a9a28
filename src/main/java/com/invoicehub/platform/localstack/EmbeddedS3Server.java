package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible endpoint (path-style) for the local stack: s3proxy over jclouds' filesystem blob store, one
 * directory per bucket under {@code data/s3}. Like the rest of the local stack it accepts any access key; the
 * keys the stack reports are there so clients have something to sign with.
 */
public class EmbeddedS3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);

    private final BlobStoreContext blobs;
    private final S3Proxy server;
    private final String endpoint;

    EmbeddedS3Server(LocalStack localStack, int configuredPort) throws IOException {
        Path dataPath = localStack.dataDir().resolve("s3");
        Files.createDirectories(dataPath);
        int port = LocalPorts.claim(configuredPort, "S3 endpoint", "HUB_S3_PORT");
        Properties overrides = new Properties();
        overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dataPath.toAbsolutePath().toString());
        blobs = ContextBuilder.newBuilder("filesystem")
                .overrides(overrides)
                .build(BlobStoreContext.class);
        endpoint = "http://localhost:" + port;
        server = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        try {
            server.start();
        } catch (Exception e) {
            blobs.close();
            throw new IOException("S3 endpoint did not start on port " + port, e);
        }
        localStack.publish("hub.s3.endpoint", endpoint);
        log.info("Local S3 endpoint at {} with data in {}", endpoint, dataPath);
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Local S3 endpoint did not stop cleanly", e);
        } finally {
            blobs.close();
        }
    }
}
