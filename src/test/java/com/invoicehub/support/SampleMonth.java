package com.invoicehub.support;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.sshd.sftp.client.SftpClient;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.platform.sftp.PartnerSftpServer;

/**
 * The sample month (shared/samples), loaded once per test run the way partners send it, in the order its README
 * gives: the three files by a real SFTP client into the partners' inboxes, the resend, the truncated file, and the
 * webhook batch as one signed call. Tests read what became of each file from here, so the order test classes run
 * in does not matter.
 */
@Component
public class SampleMonth {

    public static final List<String> FILES = List.of("asu-online-2026-10.csv", "asu-online-2026-10-resend.csv",
            "northwind-2026-10.csv", "BRIGHTPATH.202610.DAT");
    public static final String TRUNCATED = "BRIGHTPATH.202610.TRUNCATED.DAT";
    public static final String WEBHOOK_BATCH = "webhook-batch-2026-10.json";

    private final SampleMasterData masterData;
    private final PartnerSftpServer sftpServer;
    private final JdbcClient jdbc;
    private final Environment environment;
    private final Map<String, Long> fileIds = new LinkedHashMap<>();
    private OffsetDateTime loadedFrom;
    private OffsetDateTime loadedTo;

    SampleMonth(SampleMasterData masterData, PartnerSftpServer sftpServer, JdbcClient jdbc,
                Environment environment) {
        this.masterData = masterData;
        this.sftpServer = sftpServer;
        this.jdbc = jdbc;
        this.environment = environment;
    }

    /** Loads the month unless loaded already; returns the source file id of every sample (the webhook's too). */
    public synchronized Map<String, Long> load() {
        if (!fileIds.isEmpty()) {
            return fileIds;
        }
        loadedFrom = OffsetDateTime.now().minusSeconds(1);
        JsonNode expected = SampleMasterData.read("expected.json").get("files");
        for (String name : FILES) {
            fileIds.put(name, dropAndAwait(expected.get(name).get("partner").asText(), name));
        }
        upload("brightpath-tutoring", TRUNCATED, SampleMasterData.bytes(TRUNCATED));
        await().atMost(Duration.ofSeconds(60)).until(() -> exists("brightpath-tutoring", "/failed/" + TRUNCATED));
        fileIds.put(TRUNCATED, latestFile("brightpath-tutoring", TRUNCATED, "FAILED"));
        fileIds.put(WEBHOOK_BATCH, sendWebhookBatch());
        loadedTo = OffsetDateTime.now().plusSeconds(1);
        return fileIds;
    }

    /** The time window the month was received in (for the reconciliation report). */
    public OffsetDateTime loadedFrom() {
        load();
        return loadedFrom;
    }

    public OffsetDateTime loadedTo() {
        load();
        return loadedTo;
    }

    public String download(String partner, String path) {
        try (SftpSession session = login(partner); var in = session.sftp().read(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String partner, String path) {
        try (SftpSession session = login(partner)) {
            return existsIn(session.sftp(), path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long sendWebhookBatch() {
        JsonNode credentials = masterData.credentials("coursera-for-teams");
        byte[] body = SampleMasterData.bytes(WEBHOOK_BATCH);
        String id = "msg_sample_month_" + System.nanoTime();
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:"
                        + environment.getProperty("local.server.port") + "/api/v1/partners/coursera-for-teams/line-items"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + credentials.get("apiKey").asText())
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", StandardWebhooks.sign(credentials.get("signingSecret").asText(), id,
                        timestamp, body))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("webhook batch answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return latestFile("coursera-for-teams", null, "DONE");
    }

    /** Uploads as the partner would (to a temporary name, then renamed) and waits until the hub has moved it. */
    private long dropAndAwait(String partner, String name) {
        upload(partner, name, SampleMasterData.bytes(name));
        await().atMost(Duration.ofSeconds(60)).until(() -> exists(partner, "/processed/" + name)
                && exists(partner, "/outbox/" + name + ".results.csv"));
        return latestFile(partner, name, "DONE");
    }

    private long latestFile(String partner, String name, String status) {
        return jdbc.sql("select id from source_files where partner_id = :p and (cast(:n as text) is null or name = :n)"
                        + " and status = :status order by id desc limit 1")
                .param("p", partner).param("n", name).param("status", status).query(Long.class).single();
    }

    private void upload(String partner, String name, byte[] content) {
        try (SftpSession session = login(partner)) {
            SftpClient sftp = session.sftp();
            try (OutputStream out = sftp.write("/inbox/" + name + ".part")) {
                out.write(content);
            }
            sftp.rename("/inbox/" + name + ".part", "/inbox/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean existsIn(SftpClient sftp, String path) {
        try {
            sftp.stat(path);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private SftpSession login(String partner) throws IOException {
        return SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), partner,
                masterData.sftpPassword(partner));
    }
}
