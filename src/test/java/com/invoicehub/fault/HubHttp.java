package com.invoicehub.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Plain HTTP to a hub node on 127.0.0.1, as an outside client calls it. */
final class HubHttp {

    record Response(int status, String body, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    Response send(int port, String method, String path, byte[] body, Map<String, String> headers, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    Response asOps(int port, String method, String path, String json, String opsPassword)
            throws IOException, InterruptedException {
        return send(port, method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("ops", opsPassword), "Content-Type", "application/json",
                        "Accept", "application/json"), Duration.ofSeconds(60));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
