package com.invoicehub.ingest.pipeline;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.HubProperties;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Every received file, byte for byte, in the {@code hub-archive} bucket, so any receipt can be read again. */
@Component
public class RawArchive {

    private static final Logger log = LoggerFactory.getLogger(RawArchive.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    RawArchive(S3Client s3, HubProperties hub, Clock clock) {
        this.s3 = s3;
        this.bucket = hub.s3().archiveBucket();
        this.clock = clock;
    }

    /**
     * Uploads the file (streamed from disk) and answers its key. A put is whole or absent, and storing the same
     * receipt again on the same day writes the same key over with the same bytes.
     */
    public String store(long fileId, String partnerId, String name, Path file) {
        String key = "raw/" + partnerId + "/" + DAY.format(clock.instant()) + "/" + fileId + "/"
                + name.replaceAll("[^A-Za-z0-9._-]", "_");
        long started = System.nanoTime();
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long bytes = file.toFile().length();
        log.info("File {} archived as {}: {} bytes in {} ms ({} MB/s)", fileId, key, bytes, took.toMillis(),
                String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6 / Math.max(took.toNanos() / 1e9, 1e-3)));
        return key;
    }

    /** Whether the archive holds an object under this key of exactly this size (a copy, not a missing one). */
    public boolean holds(String key, long sizeBytes) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength() == sizeBytes;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false; // HEAD has no body, so a missing key comes back as a bare 404
            }
            throw e;
        }
    }

    /**
     * Downloads an archived file to a local path (replay, sweep). A missing copy is reported with its key: S3
     * servers differ in whether their own "no such key" message names it.
     */
    public void fetch(String key, Path target) {
        try {
            s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
        } catch (NoSuchKeyException e) {
            throw new IllegalStateException("No archived copy " + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }
}
