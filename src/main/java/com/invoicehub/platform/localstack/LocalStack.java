package com.invoicehub.platform.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What the local stack started: each embedded server publishes its real endpoint here, both into the
 * Spring Environment (so Camel routes resolve {@code {{spring.mail.port}}} and friends to the running server,
 * random ports included) and into the report written to {@code local-stack.json}.
 */
public class LocalStack {

    static final String PROPERTY_SOURCE = "localStack";

    private final Path dataDir;
    private final LocalSecrets secrets;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, Object> report = new LinkedHashMap<>();

    LocalStack(Path dataDir, ConfigurableEnvironment environment) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.secrets = new LocalSecrets(this.dataDir);
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    public Path dataDir() {
        return dataDir;
    }

    public LocalSecrets secrets() {
        return secrets;
    }

    /** Sets a property for the rest of the hub (e.g. the port a server really bound). */
    public synchronized void publish(String property, Object value) {
        properties.put(property, value);
    }

    /** Adds a section of the local-stack report ({@code "sftp": {...}}). */
    public synchronized void report(String section, Map<String, ?> values) {
        report.put(section, new TreeMap<>(values));
    }

    synchronized Map<String, Object> report() {
        return new LinkedHashMap<>(report);
    }
}
