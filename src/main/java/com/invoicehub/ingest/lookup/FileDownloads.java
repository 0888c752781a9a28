package com.invoicehub.ingest.lookup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.springframework.stereotype.Service;

import com.invoicehub.ingest.lookup.IngestViews.FileView;
import com.invoicehub.ingest.pipeline.RawArchive;
import com.invoicehub.ingest.pipeline.ResultsFiles;
import com.invoicehub.ingest.replay.SourceFileNotFound;

/** A receipt's files for a person to download: its per-row results and its original as archived. */
@Service
public class FileDownloads {

    /** A temporary copy the caller sends and then deletes. */
    public record Download(String name, Path file) {
    }

    private final IngestQueries queries;
    private final ResultsFiles results;
    private final RawArchive archive;

    FileDownloads(IngestQueries queries, ResultsFiles results, RawArchive archive) {
        this.queries = queries;
        this.results = results;
        this.archive = archive;
    }

    public Download results(long fileId) {
        FileView file = queries.file(fileId).orElseThrow(() -> new SourceFileNotFound(fileId));
        return new Download(file.name() + ".results.csv", results.write(fileId));
    }

    /** The original as archived; empty while the receipt has no archived copy. */
    public Optional<Download> original(long fileId) {
        FileView file = queries.file(fileId).orElseThrow(() -> new SourceFileNotFound(fileId));
        if (file.archiveKey() == null) {
            return Optional.empty();
        }
        try {
            Path copy = Files.createTempFile("original-" + fileId + "-", ".bin");
            Files.delete(copy); // the S3 client writes a new file and refuses an existing one
            archive.fetch(file.archiveKey(), copy);
            return Optional.of(new Download(file.name(), copy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
