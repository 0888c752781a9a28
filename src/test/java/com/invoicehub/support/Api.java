package com.invoicehub.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalDouble;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTP client against the running hub, as an outside client would call it. */
@Component
public class Api {

    public static final String OPS_PASSWORD = "test-ops-password";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Environment environment;

    Api(Environment environment) {
        this.environment = environment;
    }

    public record Response(int status, String body, JsonNode json) {
    }

    public Response asOps(String method, String path, String body) {
        return send(method, path, body, basic("ops", OPS_PASSWORD));
    }

    public Response withAuthorization(String method, String path, String body, String authorization) {
        return send(method, path, body, authorization);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String apiKey) {
        return "Bearer " + apiKey;
    }

    /**
     * The value of one series that {@code /actuator/prometheus} reports (scraped as ops, as Prometheus does): by its
     * name and {@code label, value} pairs it must carry; empty when no such series is reported.
     */
    public OptionalDouble metric(String name, String... labels) {
        Response scrape = asOps("GET", "/actuator/prometheus", null);
        if (scrape.status() != 200) {
            throw new IllegalStateException("/actuator/prometheus answered " + scrape.status());
        }
        return scrape.body().lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> {
                    for (int i = 0; i + 1 < labels.length; i += 2) {
                        if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst();
    }

    /** Posts a file's bytes as ops (dry runs). */
    public Response uploadAsOps(String path, byte[] file) {
        return execute(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(file))
                .header("Content-Type", "application/octet-stream").header("Accept", "application/json")
                .header("Authorization", basic("ops", OPS_PASSWORD)));
    }

    /** The running hub's address of {@code path} (for a browser). */
    public String url(String path) {
        return uri(path).toString();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
    }

    public Response send(String method, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, */*;q=0.5");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return execute(request);
    }

    /** A binary download (PDF, X12) as ops; fails on anything but 200. */
    public byte[] bytesAsOps(String path) {
        return bytes(path, basic("ops", OPS_PASSWORD));
    }

    public byte[] bytes(String path, String authorization) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response execute(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = null;
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (contentType.contains("json") && !response.body().isEmpty()) {
                parsed = json.readTree(response.body());
            }
            return new Response(response.statusCode(), response.body(), parsed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
