package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.SftpSession;

import com.fasterxml.jackson.databind.JsonNode;

/** A partner goes live by adding its route file to a running hub: no restart, no build. */
@HubIntegrationTest
class PartnerRouteFilesTest {

    @Autowired
    CamelContext camel;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Api api;
    @Autowired
    PartnerSftpServer sftpServer;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aPartnerFileAddedToARunningHubStartsPollingWithinSeconds() throws Exception {
        Fixture fixture = fixtures.fresh();
        String password = api.asOps("POST", "/api/v1/partners/" + fixture.partnerId() + "/rotate-credentials", null)
                .json().get("sftpPassword").asText();
        Path file = Path.of("target/test-routes/partners", fixture.partnerId() + ".yaml");
        Files.writeString(file, """
                - templatedRoute:
                    routeTemplateRef: partner-sftp-source
                    routeId: %s-sftp
                    parameters:
                      - name: partnerId
                        value: %s
                      - name: mapping
                        value: standard-csv
                """.formatted(fixture.partnerId(), fixture.partnerId()));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute(fixture.partnerId() + "-sftp") != null);

            try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(),
                    fixture.partnerId(), password); OutputStream out = session.sftp().write("/inbox/live.csv")) {
                out.write(String.join("\n", IngestFixtures.HEADER, fixtures.rows(fixture, 2).get(0),
                        fixtures.rows(fixture, 2).get(1), "").getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                            "select count(*) from line_items where partner_id = :p")
                    .param("p", fixture.partnerId()).query(Integer.class).single() == 2);
        } finally {
            Files.deleteIfExists(file);
        }
        // Removing the file stops the partner's routes.
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute(fixture.partnerId() + "-sftp") == null);
    }

    @Test
    void aFileWithAnUnknownMappingOrTemplateIsRefusedAndTheOthersKeepRunning() throws Exception {
        String badMapping = "bad-mapping-" + System.nanoTime();
        String badTemplate = "bad-template-" + System.nanoTime();
        Path mappingFile = Path.of("target/test-routes/partners", badMapping + ".yaml");
        Path templateFile = Path.of("target/test-routes/partners", badTemplate + ".yaml");
        Files.writeString(mappingFile, """
                - templatedRoute:
                    routeTemplateRef: partner-sftp-source
                    routeId: %s-sftp
                    parameters:
                      - name: partnerId
                        value: %s
                      - name: mapping
                        value: no-such-mapping
                """.formatted(badMapping, badMapping));
        Files.writeString(templateFile, """
                - templatedRoute:
                    routeTemplateRef: partner-carrier-pigeon-source
                    routeId: %s-pigeon
                    parameters:
                      - name: partnerId
                        value: %s
                """.formatted(badTemplate, badTemplate));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode files = api.asOps("GET", "/api/v1/partner-files", null).json();
                assertThat(problem(files, badMapping)).contains("unknown mapping 'no-such-mapping'");
                assertThat(problem(files, badTemplate)).contains("unknown template 'partner-carrier-pigeon-source'");
            });
            assertThat(camel.getRoute(badMapping + "-sftp")).isNull();
            assertThat(camel.getRoute("asu-online-sftp")).isNotNull();
            assertThat(camel.getRouteController().getRouteStatus("asu-online-sftp").isStarted()).isTrue();
        } finally {
            Files.deleteIfExists(mappingFile);
            Files.deleteIfExists(templateFile);
        }
    }

    private static String problem(JsonNode files, String partner) {
        for (JsonNode file : files.get("items")) {
            if (file.get("file").asText().equals(partner + ".yaml")) {
                return file.get("problem").asText();
            }
        }
        return "";
    }
}
