package com.invoicehub.ingest.channels;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.RouteHeaders;
import com.invoicehub.ingest.pipeline.ResultsFiles;

/**
 * What a file channel gives back to the partner beside the file it read: the per-row results in
 * {@code outbox/<name>.results.csv}, or, for a file refused whole, the reason in {@code failed/<name>.error.txt}.
 * One decision for SFTP and S3; the sinks only write it where they write.
 */
@Component("channelAnswers")
public class ChannelAnswers {

    /**
     * The answer: the folder beside the inbox, its file name, its length and its content (a stream the sink closes;
     * closing it deletes the temporary file behind it).
     */
    public record Answer(String folder, String name, long length, InputStream content) {
    }

    private final ResultsFiles resultsFiles;

    ChannelAnswers(ResultsFiles resultsFiles) {
        this.resultsFiles = resultsFiles;
    }

    /** The answer to {@code path} (a file name or an object key: its last segment names the answer). */
    public Answer of(@Body IngestResult result, @Header(RouteHeaders.ORIGINAL_NAME) String path) throws IOException {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (result.failed()) {
            byte[] reason = result.failureReason().getBytes(StandardCharsets.UTF_8);
            return new Answer(result.folder(), name + ".error.txt", reason.length, new ByteArrayInputStream(reason));
        }
        Path results = resultsFiles.write(result.fileId());
        return new Answer("outbox", name + ".results.csv", Files.size(results), deletedOnClose(results));
    }

    private static InputStream deletedOnClose(Path file) throws IOException {
        return new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        };
    }
}
