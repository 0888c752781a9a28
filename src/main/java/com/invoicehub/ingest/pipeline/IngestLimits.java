package com.invoicehub.ingest.pipeline;

import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.mapping.ReadLimits;

/**
 * How much of a partner's input the hub takes before it judges it, every limit a setting: the longest line (and how
 * much of a longer one is kept), the largest canonical JSON document, and the largest file per file channel.
 * Webhook bodies have their own limit ({@code hub.webhook.max-body-bytes}); SQS bounds a message at 256 KB.
 */
@Component
public class IngestLimits {

    private final ReadLimits read;
    private final long maxSftpFileBytes;
    private final long maxS3FileBytes;

    IngestLimits(@Value("${hub.ingest.max-line-bytes:1048576}") int maxLineBytes,
                 @Value("${hub.ingest.kept-line-bytes:4096}") int keptLineBytes,
                 @Value("${hub.ingest.max-json-bytes:8388608}") int maxJsonBytes,
                 @Value("${hub.ingest.max-file-bytes.sftp:1073741824}") long maxSftpFileBytes,
                 @Value("${hub.ingest.max-file-bytes.s3:1073741824}") long maxS3FileBytes) {
        this.read = new ReadLimits(maxLineBytes, keptLineBytes, maxJsonBytes);
        this.maxSftpFileBytes = maxSftpFileBytes;
        this.maxS3FileBytes = maxS3FileBytes;
    }

    public ReadLimits read() {
        return read;
    }

    /** Why a file of this size is refused unread on this channel, or empty when it may be read. */
    public Optional<String> fileTooLarge(Channel channel, long sizeBytes) {
        long max = switch (channel) {
            case SFTP -> maxSftpFileBytes;
            case S3 -> maxS3FileBytes;
            case WEBHOOK, SQS -> Long.MAX_VALUE; // bounded on the way in
        };
        if (sizeBytes <= max) {
            return Optional.empty();
        }
        return Optional.of("the file is " + sizeBytes + " bytes, larger than the " + max + " bytes a " + channel
                + " file may be (hub.ingest.max-file-bytes." + channel.name().toLowerCase(java.util.Locale.ROOT)
                + "); nothing was read or applied");
    }
}
