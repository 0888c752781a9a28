package com.invoicehub.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A local working copy that is deleted when closed: {@code try (TempFile copy = TempFile.create("s3-")) {...}}. */
public record TempFile(Path path) implements AutoCloseable {

    /** An empty temporary file. */
    public static TempFile create(String prefix) {
        try {
            return new TempFile(Files.createTempFile(prefix, ".tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file", e);
        }
    }

    /** A temporary path that does not exist yet (for downloads that refuse to overwrite). */
    public static TempFile reserve(String prefix) {
        TempFile file = create(prefix);
        file.close();
        return file;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temporary file: the OS cleans its temp folder
        }
    }
}
