package com.invoicehub.ingest.channels;

import java.io.File;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.RouteHeaders;
import com.invoicehub.ingest.pipeline.FileIngestion;

/**
 * Where the file channels (SFTP, S3) hand over: turns what the consumer knows about a file into an
 * {@link IncomingFile} and runs the pipeline. The receipt key is the path, size and modification time, so the same
 * upload retried after a crash is the same receipt, and the same bytes uploaded again later are a resend.
 */
@Component("fileChannelReceiver")
public class FileChannelReceiver {

    private final FileIngestion ingestion;

    FileChannelReceiver(FileIngestion ingestion) {
        this.ingestion = ingestion;
    }

    public IngestResult receive(@Header(RouteHeaders.PARTNER_ID) String partnerId, @Header(RouteHeaders.CHANNEL) String channel,
                                @Header(RouteHeaders.MAPPING) String mapping, @Header(Exchange.FILE_NAME) String name,
                                @Header(Exchange.FILE_LENGTH) Long length,
                                @Header(Exchange.FILE_LAST_MODIFIED) Long lastModified, @Body File localCopy) {
        String receiptKey = name + "|" + length + "|" + lastModified;
        return ingestion.ingest(new IncomingFile(partnerId, Channel.valueOf(channel), mapping, name, receiptKey,
                localCopy.toPath()));
    }
}
