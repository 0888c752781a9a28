package com.invoicehub.platform;

import java.util.Map;
import java.util.Optional;

/**
 * The one answer to "does this hub run on its local stack?", and what that stack offers the features: secrets it
 * made up and keeps under its data directory, the report it writes ({@code local-stack.json}), the embedded SFTP
 * server's host key. Outside the local stack ({@link #active()} false) a feature must be configured instead: the
 * secrets are refused rather than made up.
 */
public interface LocalStackMode {

    /** Whether the local stack's own PostgreSQL runs in this hub (no {@code SPRING_DATASOURCE_URL}). */
    boolean active();

    /** A password the local stack made up for {@code name} and keeps (only when {@link #active()}). */
    String password(String name);

    /** A 256-bit key, base64, the local stack made up for {@code name} and keeps (only when {@link #active()}). */
    String key(String name);

    /** Adds a section to the local-stack report. */
    void report(String section, Map<String, ?> values);

    /** The embedded SFTP server's host key fingerprint, when that server runs. */
    Optional<String> sftpHostKeyFingerprint();
}
