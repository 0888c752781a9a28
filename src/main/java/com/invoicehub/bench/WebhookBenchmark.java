package com.invoicehub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.InvoiceHubApplication;
import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.customers.CustomerRequest;
import com.invoicehub.customers.CustomerType;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.partners.IssuedPartnerCredentials;
import com.invoicehub.partners.NewPartner;
import com.invoicehub.partners.PartnerRegistry;
import com.invoicehub.partners.PartnerType;

/**
 * {@code java -Xmx512m -jar target/invoice-hub.jar bench webhooks [--seconds S] [--senders 4,16]}: a bounded,
 * closed-loop load generator on loopback against the hub's partner webhook (CONTRACT §4: Bearer API key, Standard
 * Webhooks signature over the raw body), served by the production route template {@code partner-webhook-source}.
 * For batches of 100 items and of one item, each with every sender count, senders post for S seconds (default 20)
 * after a short warm-up; every call must answer 200 with all its items APPLIED, anything else is an error. Runs on a
 * fresh local stack of its own, {@code data/bench-webhooks}. Last line: one JSON object.
 */
public final class WebhookBenchmark {

    private static final int[] BATCH_SIZES = {100, 1};
    private static final String[] TYPES = {"TUITION", "MATERIALS", "TUTORING", "FEES"};
    private static final String PARTNER = "bench-wh-partner";
    private static final String[] CUSTOMERS = {"bench-wh-acme", "bench-wh-globex", "bench-wh-initech"};

    /** One measured phase: a batch size at a number of concurrent senders. */
    record Phase(int batch, int senders, long calls, long goodCalls, long items, double seconds, long errors, long p50Ms, long p99Ms,
                 double hubCpuSeconds, double postgresCpuSeconds) {

        /** Calls answered 200 with every item APPLIED, per second. */
        double callsPerSec() {
            return goodCalls / seconds;
        }

        double itemsPerSec() {
            return items / seconds;
        }
    }

    private record Target(URI uri, String partnerId, String apiKey, String secret) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong sequence = new AtomicLong();
    private final String runTag = Long.toString(System.currentTimeMillis(), 36);
    private final String serviceDate;
    private final Target target;
    private final Path postgres;

    private WebhookBenchmark(Target target, Path postgres, LocalDate today) {
        this.target = target;
        this.postgres = postgres;
        this.serviceDate = today.minusDays(3).toString();
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int[] senders = {4, 16};
        for (int i = 0; i < args.length - 1; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--senders" -> senders = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> { }
            }
        }
        Path dataDir = InvoiceBenchmark.freshDataDirectory("bench-webhooks");
        Path routes = benchRoutes(dataDir);
        SpringApplication application = new SpringApplication(InvoiceHubApplication.class);
        application.setAdditionalProfiles("bench");
        // The bench profile's routes plus the webhook's template and the error handling it selects; no pollers.
        try (ConfigurableApplicationContext context = application.run("--hub.data-dir=" + dataDir,
                "--hub.routes-dir=" + routes, "--camel.main.routes-include-pattern=file:" + routes
                        + "/platform/*.yaml,file:" + routes + "/templates/*.yaml")) {
            run(context, dataDir, seconds, senders);
        }
    }

    /**
     * A routes folder of the benchmark's own: the hub's webhook template and the platform routes it needs, copied,
     * and one partner file, so the partner goes live the way production puts one live (PartnerRouteFiles), with no
     * file or queue pollers beside it.
     */
    private static Path benchRoutes(Path dataDir) throws java.io.IOException {
        Path source = Path.of(System.getenv().getOrDefault("HUB_ROUTES_DIR", "routes"));
        Path routes = dataDir.resolve("routes");
        for (String file : List.of("platform/mail-outbound.yaml", "platform/receipt-busy.yaml",
                "platform/database-unavailable.yaml", "platform/partner-route-files.yaml",
                "templates/partner-webhook-source.yaml")) {
            java.nio.file.Files.createDirectories(routes.resolve(file).getParent());
            java.nio.file.Files.copy(source.resolve(file), routes.resolve(file));
        }
        java.nio.file.Files.createDirectories(routes.resolve("partners"));
        java.nio.file.Files.writeString(routes.resolve("partners/" + PARTNER + ".yaml"), """
                - templatedRoute:
                    routeTemplateRef: partner-webhook-source
                    routeId: %s-webhook
                    parameters:
                      - name: partnerId
                        value: %s
                """.formatted(PARTNER, PARTNER));
        return routes;
    }

    private static void run(ConfigurableApplicationContext context, Path dataDir, int seconds, int[] senders)
            throws Exception {
        CustomerRegistry customers = context.getBean(CustomerRegistry.class);
        for (String id : CUSTOMERS) {
            customers.register(new CustomerRequest(id, id, CustomerType.CORPORATION, "USD", "UTC", 1,
                    List.of("approver@" + id + ".example"), List.of("ap@" + id + ".example"),
                    new CustomerRequest.Delivery(true, null, null)));
        }
        String partnerId = PARTNER;
        IssuedPartnerCredentials partner = context.getBean(PartnerRegistry.class).register(new NewPartner(partnerId,
                "Webhook benchmark partner", PartnerType.UNIVERSITY, "bench@invoice-hub.example", null));
        // Put live as production puts a partner live: the partner-route-files route loads its file.
        org.apache.camel.CamelContext camel = context.getBean(org.apache.camel.CamelContext.class);
        String routeId = partnerId + "-webhook";
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (camel.getRoute(routeId) == null || !camel.getRouteController().getRouteStatus(routeId).isStarted()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the partner file routes/partners/" + partnerId + ".yaml did not "
                        + "start route " + routeId + " within 60 s (see the log for why)");
            }
            Thread.sleep(100);
        }
        URI uri = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                + "/api/v1/partners/" + partnerId + "/line-items");
        WebhookBenchmark bench = new WebhookBenchmark(new Target(uri, partnerId, partner.apiKey(),
                partner.signingSecret()), dataDir.resolve("postgres"),
                LocalDate.ofInstant(context.getBean(Clock.class).instant(), ZoneOffset.UTC));

        double load = ProcessCpu.loadAverage();
        bench.phase(100, 4, 3, false); // warm-up: JIT, pools, the first receipts
        bench.phase(1, 4, 2, false);
        HeapSampler heap = new HeapSampler();
        heap.start();
        List<Phase> phases = new ArrayList<>();
        for (int batch : BATCH_SIZES) {
            for (int n : senders) {
                phases.add(bench.phase(batch, n, seconds, true));
            }
        }
        heap.stop();

        long applied = phases.stream().mapToLong(Phase::items).sum();
        long inLedger = context.getBean(JdbcClient.class).sql("select count(*) from line_items where partner_id = :p")
                .param("p", partnerId).query(Long.class).single();
        Phase bestBatch = best(phases, 100, Phase::itemsPerSec);
        Phase bestSingle = best(phases, 1, Phase::callsPerSec);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("webhookItemsPerSec", Math.round(bestBatch.itemsPerSec()));
        summary.put("webhookCallsPerSec", Math.round(bestSingle.callsPerSec() * 10) / 10.0);
        summary.put("p50Ms100", bestBatch.p50Ms());
        summary.put("p99Ms100", bestBatch.p99Ms());
        summary.put("senders100", bestBatch.senders());
        summary.put("p50Ms1", bestSingle.p50Ms());
        summary.put("p99Ms1", bestSingle.p99Ms());
        summary.put("senders1", bestSingle.senders());
        summary.put("errors", phases.stream().mapToLong(Phase::errors).sum());
        // Measured items only (the warm-up's are in the ledger too): every APPLIED answer must be a ledger row.
        summary.put("appliedItems", applied);
        summary.put("ledgerItemsIncludingWarmUp", inLedger);
        summary.put("peakHeapMb", heap.peakMb());
        summary.put("loadAverage", load);
        summary.put("phases", phases.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("batch", p.batch());
            m.put("senders", p.senders());
            m.put("calls", p.calls());
            m.put("callsPerSec", Math.round(p.callsPerSec() * 10) / 10.0);
            m.put("itemsPerSec", Math.round(p.itemsPerSec()));
            m.put("p50Ms", p.p50Ms());
            m.put("p99Ms", p.p99Ms());
            m.put("errors", p.errors());
            m.put("hubCpuSeconds", Math.round(p.hubCpuSeconds() * 10) / 10.0);
            m.put("postgresCpuSeconds", Math.round(p.postgresCpuSeconds() * 10) / 10.0);
            return m;
        }).toList());
        System.out.println(json(summary));
    }

    private static Phase best(List<Phase> phases, int batch, java.util.function.ToDoubleFunction<Phase> rate) {
        return phases.stream().filter(p -> p.batch() == batch)
                .max(java.util.Comparator.comparingDouble(rate)).orElseThrow();
    }

    /** {@code senders} threads each post, wait for the answer, post again, until {@code seconds} have passed. */
    private Phase phase(int batch, int senders, int seconds, boolean report) throws Exception {
        // Every hub thread (request threads, the async dispatch's task pool, the embedded S3 server), not the senders.
        StackSampler stacks = new StackSampler(t -> !t.getName().equals("main") && !t.getName().startsWith("pool-")
                && !t.getName().startsWith("HttpClient"));
        ProcessCpu before = ProcessCpu.now(postgres);
        if (report) {
            stacks.start();
        }
        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<long[]>> results = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        for (int s = 0; s < senders; s++) {
            results.add(pool.submit(() -> send(batch, deadline, errors)));
        }
        List<Long> latencies = new ArrayList<>();
        for (Future<long[]> result : results) {
            for (long nanos : result.get()) {
                latencies.add(nanos);
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        ProcessCpu cpu = ProcessCpu.now(postgres).minus(before);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long good = sorted.length - errors.get();
        Phase phase = new Phase(batch, senders, sorted.length, good, good * batch, elapsed, errors.get(),
                percentileMs(sorted, 0.50), percentileMs(sorted, 0.99), cpu.hubSeconds(), cpu.postgresSeconds());
        if (report) {
            stacks.stop();
            System.out.printf(Locale.ROOT, "Batch %d, %d senders: %,d calls in %.1f s, %.1f calls/s, %.0f items/s, "
                            + "p50 %d ms, p99 %d ms, %d errors; hub CPU %.1f s, PostgreSQL CPU %.1f s%n", batch,
                    senders, phase.calls(), elapsed, phase.callsPerSec(), phase.itemsPerSec(), phase.p50Ms(),
                    phase.p99Ms(), phase.errors(), cpu.hubSeconds(), cpu.postgresSeconds());
            System.out.println("  Where the hub's busy threads were (share of samples):");
            stacks.top(10).forEach(line -> System.out.println("    " + line));
        }
        return phase;
    }

    /** One sender's loop; answers its calls' latencies in nanoseconds. */
    private long[] send(int batch, long deadline, AtomicLong errors) {
        long[] latencies = new long[1024];
        int n = 0;
        while (System.nanoTime() < deadline) {
            String webhookId = "msg_" + runTag + "_" + sequence.incrementAndGet();
            byte[] body = body(batch);
            long timestamp = System.currentTimeMillis() / 1000;
            HttpRequest request = HttpRequest.newBuilder(target.uri()).timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + target.apiKey())
                    .header("webhook-id", webhookId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", StandardWebhooks.sign(target.secret(), webhookId, timestamp, body))
                    .build();
            long sent = System.nanoTime();
            String problem;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                problem = problem(response, batch);
            } catch (Exception e) {
                problem = e.toString();
            }
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = System.nanoTime() - sent;
            if (problem != null && errors.incrementAndGet() <= 5) {
                System.out.println("Error on " + webhookId + ": " + problem);
            }
        }
        return Arrays.copyOf(latencies, n);
    }

    /** Null when the call answered 200 with every item APPLIED, else what was wrong. */
    private String problem(HttpResponse<String> response, int batch) {
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode() + " " + abbreviate(response.body());
        }
        try {
            JsonNode items = json.readTree(response.body()).path("items");
            long applied = 0;
            for (JsonNode item : items) {
                applied += "APPLIED".equals(item.path("outcome").asText()) ? 1 : 0;
            }
            return applied == batch ? null : applied + " of " + batch + " APPLIED: " + abbreviate(response.body());
        } catch (Exception e) {
            return "unreadable answer " + abbreviate(response.body());
        }
    }

    private byte[] body(int batch) {
        StringBuilder out = new StringBuilder(batch * 260);
        if (batch > 1) {
            out.append('[');
        }
        for (int i = 0; i < batch; i++) {
            long n = sequence.incrementAndGet();
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"externalId\":\"wh-").append(runTag).append('-').append(n)
                    .append("\",\"customerId\":\"").append(CUSTOMERS[(int) (n % CUSTOMERS.length)])
                    .append("\",\"customerUserId\":\"emp-").append(n % 500)
                    .append("\",\"userName\":\"Employee ").append(n % 500)
                    .append("\",\"expenseType\":\"").append(TYPES[(int) (n % TYPES.length)])
                    .append("\",\"amount\":\"").append(10 + n % 990).append('.')
                    .append(String.format(Locale.ROOT, "%02d", n % 100))
                    .append("\",\"currency\":\"USD\",\"serviceDate\":\"").append(serviceDate)
                    .append("\",\"description\":\"Course ").append(n % 300).append(", Section 1\"}");
        }
        if (batch > 1) {
            out.append(']');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return Math.round(sorted[index] / 1e6);
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static String json(Object value) throws Exception {
        return new ObjectMapper().writeValueAsString(value);
    }
}
