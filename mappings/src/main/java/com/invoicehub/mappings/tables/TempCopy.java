package com.invoicehub.mappings.tables;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file on local disk, deleted on close. A ZIP package is read by its central directory (at the end), so a workbook
 * or document is copied from the pipeline's stream to disk first: POI then inflates only the parts it is asked for,
 * one at a time, instead of holding every part in memory as it does for a stream.
 */
final class TempCopy implements Closeable {

    private final Path path;

    private TempCopy(Path path) {
        this.path = path;
    }

    static TempCopy of(InputStream in, String suffix) throws IOException {
        Path path = Files.createTempFile("hub-table-", suffix);
        try {
            Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        return new TempCopy(path);
    }

    static TempCopy empty(String suffix) throws IOException {
        return new TempCopy(Files.createTempFile("hub-table-", suffix));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
