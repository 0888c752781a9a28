package com.invoicehub.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

import com.invoicehub.platform.HubProperties;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** Every received file, byte for byte, in the {@code hub-archive} bucket, so any receipt can be read again. */
@Component
public class RawArchive {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    RawArchive(S3Client s3, HubProperties hub, Clock clock) {
        this.s3 = s3;
        this.bucket = hub.s3().archiveBucket();
        this.clock = clock;
    }

    /** Uploads the file (streamed from disk) and answers its key. */
    public String store(long fileId, String partnerId, String name, Path file) {
        String key = "raw/" + partnerId + "/" + DAY.format(clock.instant()) + "/" + fileId + "/"
                + name.replaceAll("[^A-Za-z0-9._-]", "_");
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        return key;
    }

    /** Downloads an archived file to a local path (replay, sweep). */
    public void fetch(String key, Path target) {
        s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
    }
}
