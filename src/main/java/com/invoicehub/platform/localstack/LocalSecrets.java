package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Random credentials the local stack makes on first start and keeps under the data directory, so a restart
 * finds the same database secrets decryptable and the same passwords. Never used when the setting is given.
 */
public final class LocalSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Properties values = new Properties();

    public LocalSecrets(Path dataDir) {
        this.file = dataDir.resolve("local-secrets.properties");
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                values.load(reader);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
    }

    /** A random URL-safe password of 24 characters, made once. */
    public synchronized String password(String name) {
        return getOrCreate(name, 18);
    }

    /** Base64 of 32 random bytes, made once (an AES-256 key). */
    public synchronized String key(String name) {
        String existing = values.getProperty(name);
        if (existing != null) {
            return existing;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return store(name, Base64.getEncoder().encodeToString(bytes));
    }

    private String getOrCreate(String name, int bytes) {
        String existing = values.getProperty(name);
        if (existing != null) {
            return existing;
        }
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return store(name, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    private String store(String name, String value) {
        values.setProperty(name, value);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the data directory's own permissions apply
                }
            }
            try (Writer writer = Files.newBufferedWriter(file)) {
                values.store(writer, "Local stack credentials, made at random on first start. Not for production.");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return value;
    }
}
