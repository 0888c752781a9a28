package com.invoicehub.ingest.channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.RouteHeaders;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.IngestLimits;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.TempFile;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Objects under {@code s3://partner-drops/<partner>/}: streamed to local disk and run through the pipeline (receipt
 * key: key + ETag, so a retried object is the same receipt); then the answer ({@link ChannelAnswers}) is written
 * beside the drop and the original moved to {@code <partner>/processed/} or {@code <partner>/failed/}. An
 * object larger than {@code hub.ingest.max-file-bytes.s3} is refused by its size alone: its download is aborted, it is
 * recorded FAILED and moved (a copy within S3) to {@code failed/}.
 */
@Component("s3Drops")
public class S3Drops {

    private static final Logger log = LoggerFactory.getLogger(S3Drops.class);

    private final FileIngestion ingestion;
    private final IngestLimits limits;
    private final S3Client s3;
    private final String bucket;

    S3Drops(FileIngestion ingestion, IngestLimits limits, S3Client s3, HubProperties hub) {
        this.ingestion = ingestion;
        this.limits = limits;
        this.s3 = s3;
        this.bucket = hub.s3().dropBucket();
    }

    /** Reads the object through the pipeline; null when another run holds its receipt (that run answers). */
    public IngestResult receive(@Header(RouteHeaders.PARTNER_ID) String partnerId, @Header(RouteHeaders.MAPPING) String mapping,
                                @Header("CamelAwsS3Key") String key, @Header("CamelAwsS3ETag") String etag,
                                @Header("CamelAwsS3ContentLength") Long length, @Body InputStream object) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        try (InputStream in = object; TempFile copy = TempFile.create("s3-")) {
            IncomingFile file = new IncomingFile(partnerId, Channel.S3, mapping, name, key + "|" + etag, copy.path());
            IngestResult result;
            try {
                if (length != null && limits.fileTooLarge(Channel.S3, length).isPresent()) {
                    if (in instanceof ResponseInputStream<?> download) {
                        download.abort(); // closing would read the rest of it first
                    }
                    result = ingestion.refuseUnread(file, length);
                } else {
                    Files.copy(in, copy.path(), StandardCopyOption.REPLACE_EXISTING);
                    result = ingestion.ingest(file);
                }
            } catch (ReceiptBusyException e) {
                log.debug("{} is being read by another run; leaving it", key);
                return null;
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the answer beside the drop, then moves the original to the folder its result names. */
    public void answer(@Body ChannelAnswers.Answer answer, @Header(RouteHeaders.PARTNER_ID) String partnerId,
                       @Header(RouteHeaders.ORIGINAL_NAME) String key, @Header(RouteHeaders.FOLDER) String folder)
            throws IOException {
        try (InputStream content = answer.content()) {
            s3.putObject(b -> b.bucket(bucket).key(partnerId + "/" + answer.folder() + "/" + answer.name()),
                    RequestBody.fromInputStream(content, answer.length()));
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
                    .destinationKey(partnerId + "/" + folder + "/" + name));
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            log.debug("{} was already moved by another run", key);
        }
    }
}
