package com.invoicehub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * Tests declare partners by writing files into target/test-routes/partners; a new run starts from the shipped ones
 * only (this runs while the context is built, before the hub scans the folder).
 */
@Component
class TestRoutesReset {

    TestRoutesReset() {
        Path shipped = Path.of("routes/partners");
        Path copy = Path.of("target/test-routes/partners");
        if (!Files.isDirectory(copy)) {
            return;
        }
        try (Stream<Path> files = Files.list(copy)) {
            for (Path file : files.toList()) {
                if (!Files.exists(shipped.resolve(file.getFileName()))) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
