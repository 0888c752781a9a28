package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;

/**
 * A webhook body over {@code hub.webhook.max-body-bytes} (5 MiB) answers 413 before it is read whole: at once for a
 * declared Content-Length, as soon as it goes over for a chunked body. A raw socket shows what the hub read. The
 * caller is a partner with its real API key, so without the limit the call would reach the webhook route.
 */
@HubIntegrationTest
class WebhookBodyLimitTest {

    private static final long LIMIT = 5L * 1024 * 1024;

    @Autowired
    Environment environment;
    @Autowired
    IngestFixtures fixtures;

    @Autowired
    Api api;

    /** A partner whose webhook route is declared, and the head of a call with its real API key. */
    private String head(String lengthHeader) {
        String partnerId = fixtures.fresh().partnerId();
        fixtures.declare(partnerId, "webhook");
        String apiKey = api.asOps("POST", "/api/v1/partners/" + partnerId + "/rotate-credentials", null).json()
                .get("apiKey").asText();
        return "POST /api/v1/partners/" + partnerId + "/line-items HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nAuthorization: Bearer " + apiKey + "\r\nwebhook-id: msg_big\r\n"
                + lengthHeader + "\r\n\r\n";
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("localhost", Integer.parseInt(environment.getProperty("local.server.port")));
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** The status line and the body of the answer (the body up to the end of its JSON object). */
    private static String[] answer(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            // headers
        }
        StringBuilder body = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            body.append((char) c);
            if (c == '}') {
                break;
            }
        }
        return new String[] {status, body.toString()};
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIsRefusedWithoutReadingTheBody() throws IOException {
        String head = head("Content-Length: 104857600");
        try (Socket socket = connect()) {
            // 100 MB announced, not one byte of it sent: the answer comes anyway.
            socket.getOutputStream().write(head
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String[] answer = answer(socket);
            assertThat(answer[0]).startsWith("HTTP/1.1 413");
            assertThat(answer[1]).contains("\"error\":\"payload_too_large\"").contains("104857600")
                    .contains("hub.webhook.max-body-bytes");
        }
    }

    @Test
    void anEncodedPathIsCappedToo() throws IOException {
        String head = head("Content-Length: 104857600").replace("/line-items HTTP", "/line%2Ditems HTTP");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(answer(socket)[0]).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aChunkedBodyIsCutAtTheLimit() throws Exception {
        String head = head("Transfer-Encoding: chunked");
        long total = 64L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < total) {
                        out.write(size);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByTheHub) {
                    // expected: the hub stops reading and closes the connection
                }
            });
            String[] answer = answer(socket);
            assertThat(answer[0]).startsWith("HTTP/1.1 413");
            assertThat(answer[1]).contains("\"error\":\"payload_too_large\"").contains(Long.toString(LIMIT));
            assertThat(sent.get()).as("bytes sent when the answer came").isLessThan(total);
            socket.close();
            sender.get(30, TimeUnit.SECONDS);
            assertThat(sent.get()).as("bytes sent in all").isLessThan(total);
        }
    }
}
