package com.invoicehub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.channels.PartnerRouteFiles;
import com.invoicehub.ingest.pipeline.FileIngestion;

/** A fresh partner and customer per test, and standard-csv files of their line items. */
@Component
public class IngestFixtures {

    public static final String HEADER =
            "external_id,customer_id,customer_user_id,user_name,expense_type,amount,currency,service_date,description";

    private final Api api;
    private final CamelContext camel;
    private final FileIngestion ingestion;
    private final PartnerRouteFiles routeFiles;

    IngestFixtures(Api api, CamelContext camel, FileIngestion ingestion, PartnerRouteFiles routeFiles) {
        this.api = api;
        this.camel = camel;
        this.ingestion = ingestion;
        this.routeFiles = routeFiles;
    }

    /**
     * Ingests the fixture's items through the real pipeline, each given as
     * {@code externalId;customerUserId;expenseType;amount;serviceDate} (USD; the name is "Name <user>").
     */
    public void apply(Fixture fixture, String... rows) {
        List<String> lines = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split(";");
            lines.add(String.join(",", f[0], fixture.customerId(), f[1], "Name " + f[1], f[2], f[3], "USD", f[4], "x"));
        }
        ingestion.ingest(incoming(fixture, "standard-csv", csv(lines)));
    }

    /**
     * Declares the partner's channels the way an engineer does: a file in the (test copy of the) routes/partners
     * folder, then waits until the running hub has started those routes.
     */
    /** Declares the partner's webhook channel read with {@code mapping} (a partner JSON shape), and waits for it. */
    public void declareWebhook(String partnerId, String mapping) {
        try {
            Files.writeString(Path.of("target/test-routes/partners", partnerId + ".yaml"), """
                    - templatedRoute:
                        routeTemplateRef: partner-webhook-source
                        routeId: %s-webhook
                        parameters:
                          - name: partnerId
                            value: %s
                          - name: mapping
                            value: %s
                    """.formatted(partnerId, partnerId, mapping));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute(partnerId + "-webhook") != null
                && camel.getRouteController().getRouteStatus(partnerId + "-webhook").isStarted()
                && mapping.equals(routeFiles.jsonMappingOf(partnerId)));
    }

    public void declare(String partnerId, String... channels) {
        declareWithMapping(partnerId, "standard-csv", channels);
    }

    /** As {@link #declare}, the file channels reading by {@code mapping}. */
    public void declareWithMapping(String partnerId, String mapping, String... channels) {
        StringBuilder yaml = new StringBuilder();
        for (String channel : channels) {
            yaml.append("""
                    - templatedRoute:
                        routeTemplateRef: partner-%s-source
                        routeId: %s-%s
                        parameters:
                          - name: partnerId
                            value: %s
                    """.formatted(channel, partnerId, channel, partnerId));
            if (!channel.equals("webhook")) {
                yaml.append("""
                              - name: mapping
                                value: %s
                        """.formatted(mapping));
            }
        }
        try {
            Files.writeString(Path.of("target/test-routes/partners", partnerId + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.util.Arrays.stream(channels)
                .allMatch(channel -> camel.getRoute(partnerId + "-" + channel) != null
                        && camel.getRouteController().getRouteStatus(partnerId + "-" + channel).isStarted()));
    }

    public record Fixture(String partnerId, String customerId, String customerApiKey, String customerWebhookSecret) {
    }

    public Fixture fresh() {
        return fresh((id, json) -> json);
    }

    /** A fresh fixture whose customer JSON is first changed by {@code customer} (given the id and the JSON). */
    public Fixture fresh(java.util.function.BiFunction<String, String, String> customer) {
        String partner = TestData.id("partner");
        String customerId = TestData.id("customer");
        check(api.asOps("POST", "/api/v1/partners", TestData.partnerJson(partner)));
        Api.Response created = api.asOps("POST", "/api/v1/customers",
                customer.apply(customerId, TestData.customerJson(customerId)));
        check(created);
        return new Fixture(partner, customerId, created.json().get("apiKey").asText(),
                created.json().get("webhookSecret").asText());
    }

    /** {@code rows} valid items of the fixture's customer: X-1 … X-n, 10.00 … each. */
    public List<String> rows(Fixture fixture, int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(String.join(",", fixture.partnerId() + "-" + i, fixture.customerId(), "emp-" + (i % 7),
                    "Employee " + (i % 7), "TUITION", (10 + i) + ".00", "USD", "2026-10-" + (10 + i % 18),
                    "Course " + i));
        }
        return rows;
    }

    public Path csv(List<String> rows) {
        try {
            Path file = Files.createTempFile("fixture-", ".csv");
            List<String> lines = new ArrayList<>();
            lines.add(HEADER);
            lines.addAll(rows);
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public IncomingFile incoming(Fixture fixture, String mapping, Path file) {
        return new IncomingFile(fixture.partnerId(), Channel.SFTP, mapping, file.getFileName().toString(),
                file.getFileName() + "|" + TestData.id("receipt"), file);
    }

    private static void check(Api.Response response) {
        if (response.status() != 201) {
            throw new IllegalStateException(response.body());
        }
    }
}
