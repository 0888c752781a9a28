package com.invoicehub.ingest.channels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.ResultsFiles;
import com.invoicehub.platform.TempFile;

/**
 * A message as a receipt of its own, through the very pipeline files take: the body read by the partner's JSON
 * mapping (canonical JSON unless its partner file declares its own shape), keyed by the message's id, so a redelivered message is the same receipt and changes nothing. Every SQS
 * message takes this way; a webhook call only when it is too big for a group or failed in one (WebhookGroups).
 */
@Component
public class MessageIngestion {

    private final FileIngestion ingestion;
    private final ResultsFiles results;
    private final PartnerRouteFiles routeFiles;

    MessageIngestion(FileIngestion ingestion, ResultsFiles results, PartnerRouteFiles routeFiles) {
        this.ingestion = ingestion;
        this.results = results;
        this.routeFiles = routeFiles;
    }

    public record MessageResult(long fileId, List<ResultsFiles.RowResult> items) {
    }

    public MessageResult ingest(String partnerId, Channel channel, String messageId, byte[] body) {
        try (TempFile copy = TempFile.create("message-")) {
            Path local = copy.path();
            Files.write(local, body);
            IngestResult result = ingestion.ingest(new IncomingFile(partnerId, channel, routeFiles.jsonMappingOf(partnerId),
                    channel.name().toLowerCase() + "-" + messageId + ".json", messageId, local));
            return new MessageResult(result.fileId(), results.rows(result.fileId()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
