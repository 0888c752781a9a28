package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Once the hub is up: one log block with every endpoint and local credential, and the same as
 * {@code data/local-stack.json} for scripts (CONTRACT §2).
 */
@Component
class LocalStackReport {

    private static final Logger log = LoggerFactory.getLogger(LocalStackReport.class);

    private final LocalStack localStack;
    private final Environment environment;
    private final ObjectMapper json;

    LocalStackReport(LocalStack localStack, Environment environment, ObjectMapper json) {
        this.localStack = localStack;
        this.environment = environment;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @EventListener(ApplicationReadyEvent.class)
    void write() {
        Map<String, Object> report = new LinkedHashMap<>();
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String http = "http://localhost:" + port;
        report.put("http", http);
        report.put("hawtio", http + "/actuator/hawtio");
        report.put("openApi", http + "/swagger-ui.html");
        report.putAll(localStack.report());
        Path file = localStack.dataDir().resolve("local-stack.json");
        try {
            Files.createDirectories(file.getParent());
            String text = json.writeValueAsString(report);
            Files.writeString(file, text);
            log.info("""

                    ================================ invoice-hub local stack ================================
                    {}
                    (also in {})
                    ========================================================================================""",
                    text, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
