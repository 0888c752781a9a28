package com.invoicehub.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The fault suite (README "Fault suite"): two real hub processes on one shared PostgreSQL, SFTP, S3, SQS and mail
 * server (run in this JVM), all four channels fed at once with keys repeated across channels, while nodes are
 * killed with -9 (restarted each time), one is stopped with SIGTERM, and PostgreSQL is stopped for a minute, and
 * meanwhile {@link Billing} closes periods, decides and re-issues invoices on both nodes at once. Then every customer's
 * last period is closed, and the result is checked against what was sent, from the tables, the queues and the mail
 * server directly, billing invariants included. Prints one JSON line and fails if anything was lost, doubled, left
 * behind or billed wrong.
 *
 * <p>Not part of {@code ./mvnw verify} (its name matches no surefire pattern); {@code ./mvnw -Pfault verify} runs it
 * alone, after packaging the jar it starts.
 */
class FaultSuite {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultSettings settings = FaultSettings.fromSystemProperties();
    private final SuiteLog log = new SuiteLog();
    private final HubHttp http = new HubHttp();
    private final String opsPassword = "fault-ops-" + random(12);
    private final String encryptionKey = random(32);
    private final List<String> failures = new ArrayList<>();
    private final ObjectNode result = JSON.createObjectNode();

    private SharedInfrastructure infra;
    private final List<HubNode> nodes = new ArrayList<>();
    private Feeders feeders;
    private Billing billing;

    @Test
    void nothingIsLostOrDoubledThroughKillsASigtermAndADatabaseOutage() throws Exception {
        Instant deadline = log.start().plus(settings.suiteDeadline());
        for (String field : List.of("lost", "doubled", "kills")) {
            result.put(field, -1);
        }
        result.putArray("recoverySeconds");
        result.put("maxRecoverySeconds", -1);
        result.put("sigterms", 0);
        result.put("dbOutageSeconds", 0);
        result.put("rows", 0);
        Thread cleanup = new Thread(this::cleanUp, "fault-suite-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            run(deadline);
        } catch (Exception | AssertionError e) {
            failures.add("the suite itself failed: " + e);
            e.printStackTrace();
        } finally {
            cleanUp();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        result.put("elapsedSeconds", Math.round(log.seconds()));
        ArrayNode failed = result.putArray("failedChecks");
        failures.forEach(failed::add);
        String line = JSON.writeValueAsString(result);
        Files.writeString(settings.workDir().resolve("result.json"), line + "\n");
        failures.forEach(f -> System.out.println("[fault] FAILED: " + f));
        System.out.println(line);
        System.out.flush();
        assertTrue(failures.isEmpty(), failures.size() + " fault-suite checks failed:\n" + String.join("\n", failures));
    }

    private void run(Instant deadline) throws Exception {
        if (!Files.isRegularFile(settings.jar())) {
            throw new IllegalStateException(settings.jar() + " is missing: run ./mvnw -Pfault verify (it packages first)");
        }
        SharedInfrastructure.stopLeftovers(settings.workDir());
        FileSystemUtils.deleteRecursively(settings.workDir());
        Files.createDirectories(settings.workDir());
        log.line("seed " + settings.seed() + ", work directory " + settings.workDir());
        result.put("seed", settings.seed());

        infra = SharedInfrastructure.start(settings.workDir().resolve("infra"));
        log.line("shared infrastructure up: PostgreSQL " + infra.jdbcUrl() + ", EDI SFTP " + infra.sftpPort() + ", S3 "
                + infra.s3Endpoint() + ", SQS " + infra.sqsEndpoint() + ", SMTP " + infra.smtpPort());
        Path routes = copyRoutes();
        Map<String, String> environment = nodeEnvironment(routes);
        for (String name : List.of("node-a", "node-b")) {
            nodes.add(new HubNode(name, com.invoicehub.platform.localstack.SharedLocalStack.freePort(),
                    com.invoicehub.platform.localstack.SharedLocalStack.freePort(), settings.workDir(),
                    settings.jar(), settings.nodeHeap(), environment, http));
        }
        // Both at once: Flyway's lock lets one migrate while the other waits.
        for (HubNode node : nodes) {
            node.start();
        }
        for (HubNode node : nodes) {
            require(node.awaitHealthy(Duration.ofSeconds(240)), node.name + " did not start (see " + node.name + ".log)");
        }
        log.line("two hub nodes UP on ports " + nodes.get(0).port + " and " + nodes.get(1).port);

        LocalDate monthStart = YearMonth.now(ZoneOffset.UTC).minusMonths(1).atDay(1);
        TrafficPlan plan = TrafficPlan.generate(settings, monthStart);
        Map<String, Feeders.PartnerCredentials> partners = masterData(plan, routes);
        result.put("rows", plan.rowsSent);
        result.put("uniqueKeys", plan.expected.size());
        result.put("repeatedRows", plan.repeatedRows);
        log.line("plan: " + plan.rowsSent + " rows (" + plan.expected.size() + " keys to apply, " + plan.repeatedRows
                + " repeated across channels, " + plan.mustNotApply.size() + " never to apply) in "
                + plan.sftpFiles.size() + " SFTP files, " + plan.s3Files.size() + " S3 objects, "
                + plan.webhooks.size() + " webhooks, " + plan.sqsMessages.size() + " SQS messages");

        Instant senderDeadline = deadline.minus(Duration.ofMinutes(3));
        Faults faults = new Faults(infra, nodes, log, settings.seed(), senderDeadline);
        feeders = new Feeders(infra, nodes, partners, http, () -> faults.databaseDown, senderDeadline, log);
        Duration window = Duration.ofSeconds(settings.feedSeconds());
        Instant feedStart = Instant.now();
        faults.feeders(feeders);
        feeders.start(plan, window, settings.reserveShare());
        log.line("feeding all four channels over " + window.toSeconds() + " s, " + Math.round(
                settings.reserveShare() * 100) + "% of the units held back for bursts before kills");
        billing = new Billing(nodes, http, opsPassword, infra.jdbc, plan.customerIds, log);
        billing.start(Duration.ofSeconds(settings.billingRoundSeconds()), () -> faults.databaseDown);
        log.line("billing on both nodes every " + settings.billingRoundSeconds() + " s while the faults happen");
        faults.run(feedStart, settings.dbOutageSeconds());
        billing.stop();
        log.line("billing during the faults: " + billing.rounds + " rounds, " + billing.invoicesCreated
                + " invoices made, " + billing.approvals + " approved, " + billing.denials + " denied, "
                + billing.reissues + " re-issued; answers " + billing.statuses);
        feeders.releaseAll();
        for (HubNode node : nodes) {
            if (!node.awaitHealthy(Duration.ofSeconds(150))) {
                failures.add(node.nodeId() + " not UP after the faults");
            }
        }
        boolean sent = feeders.awaitDone(senderDeadline);
        log.line("senders " + (sent ? "done" : "NOT done by their deadline") + "; draining");
        Drain drain = drain(plan, Instant.now().plusSeconds(settings.drainSeconds()).isBefore(deadline)
                ? Instant.now().plusSeconds(settings.drainSeconds()) : deadline);
        log.line("drained: " + drain);

        boolean billed = billing.finish(Instant.now().plusSeconds(180).isBefore(deadline)
                ? Instant.now().plusSeconds(180) : deadline);
        log.line("final runs " + (billed ? "done" : "NOT done") + "; open steps " + billing.open());
        if (!billed) {
            failures.add("billing: the final runs and decisions did not finish; open: " + billing.open());
        }
        awaitDeliveries(Instant.now().plusSeconds(120).isBefore(deadline) ? Instant.now().plusSeconds(120) : deadline);
        checkLedger(plan);
        checkBilling(plan);
        checkLeftovers(plan, drain);
        checkReconciliation();
        checkFaults(faults);
        checkSenders();
    }

    // ---------------------------------------------------------------------------------------------------- set-up

    Map<String, String> nodeEnvironment(Path routes) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_DATASOURCE_URL", infra.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", com.invoicehub.platform.localstack.SharedLocalStack.postgresUser());
        env.put("HUB_OPS_PASSWORD", opsPassword);
        env.put("HUB_ENCRYPTION_KEY", encryptionKey);
        env.put("HUB_ROUTES_DIR", routes.toString());
        env.put("HUB_S3_ENDPOINT", infra.s3Endpoint());
        env.put("HUB_S3_REGION", SharedInfrastructure.REGION);
        env.put("HUB_S3_ACCESS_KEY", SharedInfrastructure.ACCESS_KEY);
        env.put("HUB_S3_SECRET_KEY", SharedInfrastructure.SECRET_KEY);
        env.put("HUB_SQS_ENDPOINT", infra.sqsEndpoint());
        env.put("HUB_SQS_REGION", SharedInfrastructure.REGION);
        env.put("HUB_SQS_ACCESS_KEY", SharedInfrastructure.ACCESS_KEY);
        env.put("HUB_SQS_SECRET_KEY", SharedInfrastructure.SECRET_KEY);
        // Partners' SFTP as production serves it: every node its own server (port per node, HubNode) over one
        // shared homes folder with one host key; the infrastructure's server is the customers' EDI server.
        env.put("HUB_SFTP_EMBEDDED", "true");
        env.put("HUB_SFTP_BIND_ADDRESS", "127.0.0.1");
        env.put("HUB_SFTP_HOMES_DIR", infra.sftpRoot().toString());
        env.put("HUB_SFTP_HOST_KEY", infra.partnerSftpHostKey().toString());
        env.put("HUB_EDI_KNOWN_HOSTS", infra.sftpKnownHosts().toString());
        env.put("SPRING_MAIL_HOST", "127.0.0.1");
        env.put("SPRING_MAIL_PORT", Integer.toString(infra.smtpPort()));
        env.put("HUB_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8");
        // The hub's own leases, sweep and SQS visibility (the defaults are what is proven), a shorter poll so the
        // run fits in minutes; the schedule cron never fires (runs are triggered by the suite).
        env.put("HUB_INGEST_LEASE", settings.lease());
        env.put("HUB_INGEST_POLL_DELAY_MS", "1000");
        env.put("HUB_PARTNER_FILES_SCAN_MS", "1000");
        env.put("HUB_INVOICING_SCHEDULE_CRON", "0 0 0 1 1 ? 2099");
        return env;
    }

    /** The project's routes without its sample partners; the suite's partners are added once they exist. */
    private Path copyRoutes() throws IOException {
        Path source = settings.projectDir().resolve("routes");
        Path target = settings.workDir().resolve("routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else if (!source.relativize(file).startsWith("partners")) {
                    Files.copy(file, copy);
                }
            }
        }
        Files.createDirectories(target.resolve("partners"));
        return target;
    }

    private Map<String, Feeders.PartnerCredentials> masterData(TrafficPlan plan, Path routes) throws Exception {
        HubNode node = nodes.get(0);
        Map<String, Feeders.PartnerCredentials> partners = new LinkedHashMap<>();
        for (String id : plan.partnerIds) {
            HubHttp.Response answer = http.asOps(node.port, "POST", "/api/v1/partners", "{\"id\":\"" + id
                    + "\",\"name\":\"Fault " + id + "\",\"type\":\"UNIVERSITY\",\"contactEmail\":\"data@" + id
                    + ".example\"}", opsPassword);
            require(answer.ok(), "POST /api/v1/partners " + id + ": " + answer.status() + " " + answer.body());
            JsonNode body = JSON.readTree(answer.body());
            partners.put(id, new Feeders.PartnerCredentials(id, body.path("apiKey").asText(),
                    body.path("signingSecret").asText(), body.path("sftpPassword").asText()));
            // The node made the partner's home on the shared volume (its own SFTP server), as in production.
            require(Files.isDirectory(infra.sftpRoot().resolve(id).resolve("inbox")), "no SFTP home for " + id);
            Files.writeString(routes.resolve("partners/" + id + ".yaml"), partnerRoutes(id));
        }
        for (String id : plan.customerIds) {
            HubHttp.Response answer = http.asOps(node.port, "POST", "/api/v1/customers", "{\"id\":\"" + id
                    + "\",\"name\":\"Fault " + id + "\",\"type\":\"CORPORATION\",\"currency\":\"USD\","
                    + "\"timeZone\":\"UTC\",\"invoiceDay\":1,\"approverEmails\":[\"approver@" + id + ".example\"],"
                    + "\"billingEmails\":[\"" + billingAddress(id) + "\"],"
                    + "\"delivery\":{\"email\":true,\"webhookUrl\":null,\"edi\":null}}",
                    opsPassword);
            require(answer.ok(), "POST /api/v1/customers " + id + ": " + answer.status() + " " + answer.body());
            HubHttp.Response disabled = http.asOps(node.port, "POST", "/api/v1/schedules/" + id + "/disable", null,
                    opsPassword);
            require(disabled.ok(), "disable schedule " + id + ": " + disabled.status() + " " + disabled.body());
        }
        // Both nodes must have loaded every partner's routes before anything is sent.
        Instant until = Instant.now().plusSeconds(90);
        for (HubNode hub : nodes) {
            while (true) {
                HubHttp.Response files = http.asOps(hub.port, "GET", "/api/v1/partner-files?size=500", null,
                        opsPassword);
                long loaded = 0;
                if (files.ok()) {
                    for (JsonNode file : JSON.readTree(files.body()).path("items")) {
                        if (file.path("file").asText().startsWith("fault-partner-") && file.path("routeIds").size() == 3) {
                            loaded++;
                        }
                    }
                }
                if (loaded == plan.partnerIds.size()) {
                    break;
                }
                require(Instant.now().isBefore(until), hub.nodeId() + " did not load the partner route files: "
                        + files.body());
                Thread.sleep(500);
            }
        }
        log.line(plan.partnerIds.size() + " partners and " + plan.customerIds.size()
                + " customers made through the API; both nodes run their routes");
        return partners;
    }

    private static String partnerRoutes(String id) {
        StringBuilder yaml = new StringBuilder("# Fault suite partner: standard CSV by SFTP and S3, JSON by webhook.\n");
        for (String[] channel : new String[][] {{"partner-sftp-source", "sftp"}, {"partner-s3-source", "s3"},
                {"partner-webhook-source", "webhook"}}) {
            yaml.append("- templatedRoute:\n    routeTemplateRef: ").append(channel[0])
                    .append("\n    routeId: ").append(id).append('-').append(channel[1])
                    .append("\n    parameters:\n      - name: partnerId\n        value: ").append(id).append('\n');
            if (!channel[1].equals("webhook")) {
                yaml.append("      - name: mapping\n        value: standard-csv\n");
            }
        }
        return yaml.toString();
    }

    // ---------------------------------------------------------------------------------------------------- drain

    record Drain(double seconds, long openReceipts, long queueVisible, long queueInFlight, long deadLetters,
                 long inboxFiles, long dropObjects, boolean complete) {
    }

    private Drain drain(TrafficPlan plan, Instant until) throws InterruptedException {
        Instant start = Instant.now();
        Drain last = null;
        while (true) {
            Map<QueueAttributeName, String> queue = queueAttributes(infra.queueUrl);
            Map<QueueAttributeName, String> dlq = queueAttributes(infra.deadLetterQueueUrl);
            long open = count("select count(*) from source_files where status not in ('DONE', 'FAILED')");
            long visible = number(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + number(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
            long inFlight = number(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            long dead = number(dlq.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + number(dlq.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            long inbox = inboxFiles(plan).size();
            long drop = dropObjects(plan).size();
            boolean complete = feeders.pending() == 0 && open == 0 && visible == 0 && inFlight == 0 && inbox == 0
                    && drop == 0;
            last = new Drain(Duration.between(start, Instant.now()).toMillis() / 1000.0, open, visible, inFlight,
                    dead, inbox, drop, complete);
            if (complete || Instant.now().isAfter(until)) {
                return last;
            }
            Thread.sleep(2000);
        }
    }

    private Map<QueueAttributeName, String> queueAttributes(String url) {
        try {
            return infra.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                    .attributes();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static long number(String value) {
        return value == null ? -1 : Long.parseLong(value);
    }

    private long count(String sql) {
        try {
            return infra.jdbc.sql(sql).query(Long.class).single();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private List<String> inboxFiles(TrafficPlan plan) {
        List<String> files = new ArrayList<>();
        for (String partner : plan.partnerIds) {
            try (Stream<Path> inbox = Files.list(infra.sftpRoot().resolve(partner).resolve("inbox"))) {
                inbox.forEach(f -> files.add(partner + "/inbox/" + f.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private List<String> dropObjects(TrafficPlan plan) {
        List<String> keys = new ArrayList<>();
        for (String partner : plan.partnerIds) {
            infra.s3.listObjectsV2(b -> b.bucket(SharedInfrastructure.DROP_BUCKET).prefix(partner + "/").delimiter("/"))
                    .contents().forEach(o -> keys.add(o.key()));
        }
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------- invoicing

    // ---------------------------------------------------------------------------------------------------- checks

    record Applied(String key, String customerId, String userId, String expenseType, BigDecimal amount,
                   String serviceDate, Long invoiceId) {
    }

    private void checkLedger(TrafficPlan plan) {
        List<Applied> rows = infra.jdbc.sql("""
                        select partner_id || '|' || external_id, customer_id, customer_user_id, expense_type, amount,
                               service_date::text, invoice_id
                        from line_items where partner_id like 'fault-partner-%'""")
                .query((rs, n) -> new Applied(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBigDecimal(5), rs.getString(6), (Long) rs.getObject(7)))
                .list();
        Map<String, List<Applied>> byKey = rows.stream().collect(Collectors.groupingBy(Applied::key));
        List<String> lost = plan.expected.keySet().stream().filter(k -> !byKey.containsKey(k)).sorted().toList();
        long doubledKeys = byKey.values().stream().mapToLong(l -> l.size() - 1).sum();
        long onTwoInvoices = count(ON_TWO_LIVE_INVOICES);
        List<String> wrong = new ArrayList<>();
        List<String> mustNot = new ArrayList<>();
        for (Map.Entry<String, List<Applied>> entry : byKey.entrySet()) {
            TrafficPlan.Item sent = plan.expected.get(entry.getKey());
            if (sent == null) {
                mustNot.add(entry.getKey());
                continue;
            }
            Applied applied = entry.getValue().get(0);
            if (!applied.customerId().equals(sent.customerId()) || !applied.userId().equals(sent.userId())
                    || !applied.expenseType().equals(sent.expenseType())
                    || applied.amount().compareTo(new BigDecimal(sent.amount())) != 0
                    || !applied.serviceDate().equals(sent.serviceDate())) {
                wrong.add(entry.getKey());
            }
        }
        long doubled = doubledKeys + Math.max(0, onTwoInvoices);
        result.put("lost", lost.size());
        result.put("doubled", doubled);
        result.put("appliedThatShouldNot", mustNot.size());
        result.put("appliedWithOtherContent", wrong.size());
        result.put("ledgerRows", rows.size());
        long notAccepted = lost.stream().filter(feeders.keysNotAccepted::contains).count();
        result.put("lostInUnitsTheHubRefused", notAccepted);
        if (!lost.isEmpty()) {
            failures.add("lost: " + lost.size() + " source keys sent but never applied, e.g. " + sample(lost)
                    + " (" + lostByChannel(lost) + "; " + notAccepted + " of them in units the hub refused for good "
                    + "or never accepted, see \"senders gave up\"; the rest were accepted)");
        }
        if (doubled > 0) {
            failures.add("doubled: " + doubledKeys + " keys applied more than once, " + onTwoInvoices
                    + " line items on more than one invoice");
        }
        if (!mustNot.isEmpty()) {
            failures.add("applied but must never be: " + mustNot.size() + " keys, e.g. " + sample(mustNot)
                    + " (FORGED-* = SQS messages signed with another partner's secret or not signed; REJ-* = unknown "
                    + "customer)");
        }
        if (!wrong.isEmpty()) {
            failures.add("applied with content other than sent: " + sample(wrong));
        }
    }

    private static String lostByChannel(List<String> keys) {
        Map<String, Long> counts = new TreeMap<>();
        for (String key : keys) {
            String code = key.split("\\|")[1].split("-")[2];
            String channel = switch (code) {
                case "S" -> "SFTP";
                case "O" -> "S3";
                case "W" -> "WEBHOOK";
                case "Q" -> "SQS";
                default -> code;
            };
            counts.merge(channel, 1L, Long::sum);
        }
        return "first sent by " + counts;
    }

    // ---------------------------------------------------------------------------------------------------- billing

    /** An invoice is live unless a re-issue superseded it (the revision chain keeps the old one's rows as they were). */
    private static final String LIVE = "not exists (select 1 from invoices r where r.previous_invoice_id = i.id)";

    /** Line items counted on more than one live invoice. */
    private static final String ON_TWO_LIVE_INVOICES = """
            select count(*) from (select x.line_item_id from invoice_line_items x join invoices i on i.id = x.invoice_id
                                  where not x.excluded and %s
                                  group by x.line_item_id having count(*) > 1) twice""".formatted(LIVE);

    private static String billingAddress(String customerId) {
        return "billing@" + customerId + ".example";
    }

    /** Until every approved invoice of the suite's customers is DELIVERED (its email sent), or {@code until}. */
    private void awaitDeliveries(Instant until) throws InterruptedException {
        long open = -1;
        while (Instant.now().isBefore(until)) {
            open = count("select count(*) from invoices where customer_id like 'fault-cust-%' and status = 'APPROVED'");
            if (open == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        log.line("deliveries: " + (open == 0 ? "every approved invoice DELIVERED" : open + " approved invoices not "
                + "DELIVERED"));
    }

    /**
     * The billing invariants, from the tables: each a list of ids that breach it, reported as a count (and a sample
     * in the failed check). "Live": not superseded by a re-issue.
     */
    private void checkBilling(TrafficPlan plan) {
        Map<String, String> invariants = new LinkedHashMap<>();
        // Every line item counted on at most one live invoice.
        invariants.put("itemsOnTwoLiveInvoices", """
                select x.line_item_id::text from invoice_line_items x join invoices i on i.id = x.invoice_id
                where not x.excluded and %s and i.customer_id like 'fault-cust-%%'
                group by x.line_item_id having count(*) > 1""".formatted(LIVE));
        // Each live, undenied invoice: total = sum of its lines = sum of its counted line items = sum of the items
        // billed to it; lines' counts = counted items = items billed; each line = the sum of its own counted items.
        invariants.put("invoicesNotAddingUp", """
                select i.id::text from invoices i
                where i.customer_id like 'fault-cust-%%' and %s and i.status <> 'DENIED' and (
                      i.total <> (select coalesce(sum(l.total), 0) from invoice_lines l where l.invoice_id = i.id)
                   or i.total <> (select coalesce(sum(x.amount), 0) from invoice_line_items x
                                  where x.invoice_id = i.id and not x.excluded)
                   or i.total <> (select coalesce(sum(li.amount), 0) from line_items li where li.invoice_id = i.id)
                   or (select coalesce(sum(l.item_count), 0) from invoice_lines l where l.invoice_id = i.id)
                      <> (select count(*) from invoice_line_items x where x.invoice_id = i.id and not x.excluded)
                   or (select count(*) from line_items li where li.invoice_id = i.id)
                      <> (select count(*) from invoice_line_items x where x.invoice_id = i.id and not x.excluded)
                   or exists (select 1 from invoice_lines l where l.invoice_id = i.id
                              and (l.total <> (select coalesce(sum(x.amount), 0) from invoice_line_items x
                                               where x.invoice_line_id = l.id and x.invoice_id = i.id
                                                 and not x.excluded)
                                   or l.item_count <> (select count(*) from invoice_line_items x
                                                       where x.invoice_line_id = l.id and x.invoice_id = i.id
                                                         and not x.excluded))))
                """.formatted(LIVE));
        // Every item with an invoice_id counted in exactly one line of that invoice (nothing invoiced without a line).
        invariants.put("itemsBilledWithoutOneLine", """
                select li.id || '@' || li.invoice_id from line_items li
                where li.invoice_id is not null and li.customer_id like 'fault-cust-%'
                  and (select count(*) from invoice_line_items x
                       join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = li.invoice_id
                       where x.invoice_id = li.invoice_id and x.line_item_id = li.id and not x.excluded) <> 1""");
        // Every item a live invoice counts is billed to that invoice.
        invariants.put("itemsCountedButBilledElsewhere", """
                select x.line_item_id || '@' || x.invoice_id || '/' || coalesce(li.invoice_id::text, 'none')
                from invoice_line_items x join invoices i on i.id = x.invoice_id join line_items li on li.id = x.line_item_id
                where not x.excluded and %s and i.customer_id like 'fault-cust-%%'
                  and li.invoice_id is distinct from x.invoice_id""".formatted(LIVE));
        // No item left billed to an invoice a re-issue superseded.
        invariants.put("itemsOnSupersededInvoices", """
                select li.id || '@' || li.invoice_id from line_items li
                where li.customer_id like 'fault-cust-%'
                  and exists (select 1 from invoices r where r.previous_invoice_id = li.invoice_id)""");
        invariants.put("currencyMismatches", """
                select x.line_item_id || '@' || x.invoice_id from invoice_line_items x
                join invoices i on i.id = x.invoice_id join line_items li on li.id = x.line_item_id
                where i.customer_id like 'fault-cust-%' and li.currency <> i.currency""");
        invariants.put("revisionOneDuplicates", """
                select customer_id || ' ' || period_end from invoices
                where revision = 1 and customer_id like 'fault-cust-%' group by customer_id, period_end
                having count(*) > 1
                union all
                select customer_id || ' ' || period_start || ' rev ' || revision from invoices
                where customer_id like 'fault-cust-%' group by customer_id, period_start, revision having count(*) > 1""");
        invariants.put("decidedTwice", """
                select entity_id from audit_events
                where action in ('invoice.approved', 'invoice.denied') and entity_type = 'invoice'
                group by entity_id having count(*) > 1""");
        invariants.put("reissuedTwice", """
                select previous_invoice_id::text from invoices where previous_invoice_id is not null
                group by previous_invoice_id having count(*) > 1""");
        invariants.put("deliveriesSentTwice", """
                select a.delivery_id::text from delivery_attempts a join deliveries d on d.id = a.delivery_id
                join invoices i on i.id = d.invoice_id
                where a.result = 'SENT' and i.customer_id like 'fault-cust-%'
                group by a.delivery_id having count(*) > 1""");
        // At the end every period is closed: no applied item of the suite's customers is left unbilled (an excluded
        // one went back to the ledger and the final run took it), and every live invoice is decided and delivered.
        invariants.put("itemsUnbilledAfterFinalRun", """
                select li.id::text from line_items li
                where li.customer_id like 'fault-cust-%' and li.invoice_id is null""");
        invariants.put("liveInvoicesNotDelivered", """
                select i.id || ' ' || i.status from invoices i
                where i.customer_id like 'fault-cust-%%' and %s and i.status <> 'DELIVERED'""".formatted(LIVE));
        invariants.put("deliveriesNotSent", """
                select d.id || ' ' || d.status from deliveries d join invoices i on i.id = d.invoice_id
                where i.customer_id like 'fault-cust-%' and d.status <> 'SENT'""");

        ObjectNode billed = result.putObject("billing");
        long breaches = 0;
        for (Map.Entry<String, String> invariant : invariants.entrySet()) {
            List<String> ids;
            try {
                ids = infra.jdbc.sql(invariant.getValue()).query(String.class).list();
            } catch (RuntimeException e) {
                failures.add("billing: " + invariant.getKey() + " could not be checked: " + e.getMessage());
                breaches++;
                continue;
            }
            billed.put(invariant.getKey(), ids.size());
            breaches += ids.size();
            if (!ids.isEmpty()) {
                failures.add("billing: " + invariant.getKey() + " " + ids.size() + ": " + sample(ids));
            }
        }
        // Per customer: the live invoices hold exactly the items sent (count and amount), each once.
        Map<String, List<TrafficPlan.Item>> expectedByCustomer = plan.expected.values().stream()
                .collect(Collectors.groupingBy(TrafficPlan.Item::customerId));
        long customersOff = 0;
        for (String customer : plan.customerIds) {
            Map<String, Object> live = infra.jdbc.sql("""
                            select count(*) as items, coalesce(sum(x.amount), 0) as total
                            from invoice_line_items x join invoices i on i.id = x.invoice_id
                            where not x.excluded and i.customer_id = :c and %s""".formatted(LIVE))
                    .param("c", customer).query().singleRow();
            List<TrafficPlan.Item> items = expectedByCustomer.getOrDefault(customer, List.of());
            BigDecimal expectedTotal = items.stream().map(i -> new BigDecimal(i.amount()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            long count = ((Number) live.get("items")).longValue();
            BigDecimal total = (BigDecimal) live.get("total");
            if (count != items.size() || total.compareTo(expectedTotal) != 0) {
                customersOff++;
                failures.add("billing: " + customer + "'s live invoices hold " + count + " items totalling "
                        + total.stripTrailingZeros().toPlainString() + "; sent " + items.size() + " totalling "
                        + expectedTotal.toPlainString());
            }
        }
        billed.put("customersNotBilledExactly", customersOff);
        breaches += customersOff;

        // What the approvers' mail server saw: each delivery's email once (a node killed between sending and
        // recording may send it again with the same Message-ID, which a receiver dedupes: counted, not a breach).
        Map<String, Integer> mails = deliveryMails(plan);
        long resent = mails.values().stream().mapToLong(n -> n - 1).sum();
        long sentDeliveries = count("""
                select count(*) from deliveries d join invoices i on i.id = d.invoice_id
                where i.customer_id like 'fault-cust-%' and d.status = 'SENT'""");
        billed.put("deliveryMails", mails.values().stream().mapToInt(Integer::intValue).sum());
        billed.put("deliveryMailsDistinct", mails.size());
        billed.put("deliveryMailsResentSameMessageId", resent);
        if (mails.size() != sentDeliveries) {
            breaches++;
            failures.add("billing: the mail server received " + mails.size() + " distinct delivery emails; "
                    + sentDeliveries + " deliveries are SENT");
        }

        Map<String, Object> counts = infra.jdbc.sql("""
                        select count(*) as invoices,
                               count(*) filter (where revision = 1) as first_revisions,
                               count(*) filter (where revision > 1) as revisions,
                               count(distinct customer_id || period_end) as periods,
                               count(*) filter (where status = 'DENIED') as denied,
                               count(*) filter (where status in ('APPROVED', 'DELIVERED')) as approved
                        from invoices where customer_id like 'fault-cust-%'""").query().singleRow();
        counts.forEach((k, v) -> billed.put(k, ((Number) v).longValue()));
        billed.put("rounds", billing.rounds.get());
        billed.put("roundsDuringDbOutage", billing.roundsDuringOutage.get());
        billed.put("triggers", billing.triggers.get());
        billed.put("createdAnswers", billing.invoicesCreated.get());
        billed.put("approvals", billing.approvals.get());
        billed.put("denials", billing.denials.get());
        billed.put("approveDenyRaces", billing.racesDecided.get());
        billed.put("corrections", billing.corrections.get());
        billed.put("reissues", billing.reissues.get());
        ObjectNode answers = billed.putObject("answers");
        billing.statuses.forEach((k, v) -> answers.put(k, v.get()));
        billed.put("unexpectedAnswers", billing.unexpected.size());
        billed.put("apiBreaches", billing.breaches.size());
        breaches += billing.unexpected.size() + billing.breaches.size();
        if (!billing.unexpected.isEmpty()) {
            failures.add("billing: " + billing.unexpected.size() + " answers the contract does not allow (a 5xx other "
                    + "than 503 with Retry-After, a 4xx other than 409): " + sample(billing.unexpected));
        }
        billing.breaches.forEach(b -> failures.add("billing: " + b));
        result.put("invoices", ((Number) counts.get("invoices")).longValue());
        result.put("approvals", billing.approvals.get());
        result.put("invariantBreaches", breaches);
    }

    /** Delivery emails by their delivery id (X-Invoice-Hub-Delivery-Id), read over IMAP from the billing mailboxes. */
    private Map<String, Integer> deliveryMails(TrafficPlan plan) {
        Map<String, Integer> byId = new TreeMap<>();
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        for (String customer : plan.customerIds) {
            try {
                jakarta.mail.Store store = session.getStore("imap");
                store.connect("127.0.0.1", infra.imapPort(), billingAddress(customer), SharedInfrastructure.MAIL_PASSWORD);
                try {
                    jakarta.mail.Folder inbox = store.getFolder("INBOX");
                    inbox.open(jakarta.mail.Folder.READ_ONLY);
                    for (jakarta.mail.Message message : inbox.getMessages()) {
                        String[] id = message.getHeader("X-Invoice-Hub-Delivery-Id");
                        if (id != null) {
                            byId.merge(id[0], 1, Integer::sum);
                        }
                    }
                    inbox.close(false);
                } finally {
                    store.close();
                }
            } catch (jakarta.mail.MessagingException e) {
                log.line("IMAP " + billingAddress(customer) + ": " + e.getMessage());
            }
        }
        return byId;
    }

    private void checkLeftovers(TrafficPlan plan, Drain drain) throws Exception {
        Map<String, Long> statuses = new TreeMap<>();
        infra.jdbc.sql("select status, count(*) from source_files group by status")
                .query((rs, n) -> statuses.put(rs.getString(1), rs.getLong(2))).list();
        List<String> open = infra.jdbc.sql("""
                        select id || ' ' || channel || ' ' || name || ' ' || status || ' lease ' ||
                               coalesce(lease_owner, '-') || ' until ' || coalesce(lease_until::text, '-')
                        from source_files where status not in ('DONE', 'FAILED') order by id""")
                .query(String.class).list();
        List<String> failedFiles = infra.jdbc.sql("""
                        select id || ' ' || channel || ' ' || name || ': ' || coalesce(failure_reason, '')
                        from source_files where status = 'FAILED' order by id""").query(String.class).list();
        ObjectNode receipts = result.putObject("receipts");
        statuses.forEach(receipts::put);
        result.put("stuckReceipts", open.size());
        if (!open.isEmpty()) {
            failures.add("receipts stuck (not DONE or FAILED " + Math.round(drain.seconds())
                    + " s after the last send): " + open.size() + ", e.g. " + sample(open));
        }
        if (!failedFiles.isEmpty()) {
            failures.add("receipts FAILED (nothing sent was refusable as a whole): " + sample(failedFiles));
        }

        Map<QueueAttributeName, String> queue = queueAttributes(infra.queueUrl);
        long onQueue = number(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + number(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                + number(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        result.put("sqsQueue", onQueue);
        if (onQueue != 0) {
            failures.add("SQS queue " + SharedInfrastructure.QUEUE + " not empty: " + queue);
        }
        List<Message> dead = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<Message> batch = infra.sqs.receiveMessage(b -> b.queueUrl(infra.deadLetterQueueUrl)
                    .maxNumberOfMessages(10).visibilityTimeout(300).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                break;
            }
            dead.addAll(batch);
        }
        // Each forged message once, however many copies: a node killed between copying a message to the dead-letter
        // queue and deleting it from the queue copies it again when it comes back (at least once, never applied).
        long forged = dead.stream().filter(m -> m.body().contains("\"FORGED-")).map(Message::body).distinct().count();
        result.put("deadLetterCopies", dead.stream().filter(m -> m.body().contains("\"FORGED-")).count() - forged);
        List<String> valid = dead.stream().filter(m -> !m.body().contains("\"FORGED-"))
                .map(m -> m.messageId() + " " + m.body().substring(0, Math.min(60, m.body().length())) + "…")
                .toList();
        result.put("deadLetters", dead.size());
        result.put("deadLettersExpected", plan.deliberatelyInvalidSqsMessages());
        if (!valid.isEmpty()) {
            failures.add("dead-letter queue holds " + valid.size() + " validly signed messages (lost to the ledger "
                    + "unless replayed), e.g. " + sample(valid));
        }
        if (forged != plan.deliberatelyInvalidSqsMessages()) {
            failures.add("dead-letter queue holds " + forged + " of the " + plan.deliberatelyInvalidSqsMessages()
                    + " wrongly signed or unsigned SQS messages (CONTRACT §4: never applied, left to the DLQ)");
        }
        // Ops' part: the forged messages are discarded through the hub's API (audited), so the reconciliation that
        // follows may count nothing left in the dead-letter queue.
        for (Message message : dead) {
            infra.sqs.changeMessageVisibility(b -> b.queueUrl(infra.deadLetterQueueUrl)
                    .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
        }
        long discarded = 0;
        for (Message message : dead.stream().filter(m -> m.body().contains("\"FORGED-")).toList()) {
            HubHttp.Response answer = http.asOps(nodes.get(0).port, "DELETE", "/api/v1/ingest/dead-letters/"
                    + message.messageId(), null, opsPassword);
            if (answer.ok()) {
                discarded++;
            } else {
                failures.add("discarding dead letter " + message.messageId() + ": " + answer.status() + " "
                        + answer.body());
            }
        }
        result.put("deadLettersDiscarded", discarded);

        List<String> inbox = inboxFiles(plan);
        List<String> drop = dropObjects(plan);
        result.put("inboxFiles", inbox.size());
        result.put("dropObjects", drop.size());
        if (!inbox.isEmpty()) {
            failures.add("SFTP inboxes not empty: " + sample(inbox));
        }
        if (!drop.isEmpty()) {
            failures.add("S3 drop prefixes not empty: " + sample(drop));
        }
    }

    private void checkReconciliation() throws Exception {
        String from = log.start().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();
        HubHttp.Response answer = null;
        for (HubNode node : nodes) {
            try {
                answer = http.asOps(node.port, "GET", "/api/v1/reports/reconciliation?from=" + from + "&to=" + to,
                        null, opsPassword);
                if (answer.ok()) {
                    break;
                }
            } catch (IOException e) {
                answer = null;
            }
        }
        if (answer == null || !answer.ok()) {
            failures.add("reconciliation report unavailable: " + (answer == null ? "no node answered"
                    : answer.status() + " " + answer.body()));
            result.put("reconciliationUnexplained", -1);
            return;
        }
        JsonNode report = JSON.readTree(answer.body());
        long unexplained = report.path("records").path("unexplained").asLong()
                + report.path("items").path("unexplained").asLong()
                + report.path("receipts").path("unexplained").asLong()
                + report.path("invoices").path("unexplained").asLong();
        result.put("reconciliationUnexplained", unexplained);
        result.set("reconciliationRecords", report.path("records"));
        if (unexplained != 0 || report.path("differences").size() > 0) {
            failures.add("reconciliation: " + unexplained + " unexplained, differences " + report.path("differences"));
        }
    }

    private void checkFaults(Faults faults) {
        List<Double> recovery = new ArrayList<>();
        ArrayNode details = result.putArray("killDetails");
        Set<String> channelsHit = new LinkedHashSet<>();
        for (Faults.Kill kill : faults.kills) {
            double seconds = recoverySeconds(kill);
            recovery.add(seconds);
            channelsHit.addAll(kill.channelsInFlight());
            ObjectNode detail = details.addObject();
            detail.put("node", kill.nodeId());
            detail.put("atSeconds", Math.round(kill.atSuiteSeconds()));
            detail.put("aimedAt", kill.aimedAt());
            ArrayNode channels = detail.putArray("channelsInFlight");
            kill.channelsInFlight().forEach(channels::add);
            detail.put("receiptsInFlight", kill.receiptsInFlight().size());
            detail.put("recoverySeconds", seconds);
            if (seconds < 0) {
                failures.add("recovery: kill #" + kill.number() + " of " + kill.nodeId() + ": receipts "
                        + kill.receiptsInFlight() + " it held were never finished");
            } else if (seconds > settings.maxRecoverySeconds()) {
                failures.add(String.format("recovery: kill #%d of %s: its in-flight receipts %s (%s) finished %.1f s "
                                + "after the kill (want <= %d s)", kill.number(), kill.nodeId(),
                        kill.receiptsInFlight(), kill.channelsInFlight(), seconds, settings.maxRecoverySeconds()));
            }
        }
        ArrayNode recoveryArray = result.putArray("recoverySeconds");
        recovery.forEach(recoveryArray::add);
        result.put("kills", faults.kills.size());
        result.put("maxRecoverySeconds", recovery.stream().max(Comparator.naturalOrder()).orElse(0.0));
        ArrayNode hit = result.putArray("killChannelsHit");
        channelsHit.forEach(hit::add);
        result.put("sigterms", faults.sigterm == null ? 0 : 1);
        if (faults.sigterm != null) {
            ObjectNode sigterm = result.putObject("sigterm");
            sigterm.put("node", faults.sigterm.nodeId());
            sigterm.put("exitCode", faults.sigterm.exitCode());
            sigterm.put("secondsToExit", faults.sigterm.secondsToExit());
            sigterm.put("receiptsInFlight", faults.sigterm.receiptsInFlight().size());
            sigterm.put("leasesLeftAfterExit", faults.sigterm.leasesLeftAfterExit());
        }
        result.put("dbOutageSeconds", Math.round(faults.databaseOutageSeconds));
        result.put("nodesUpAfterDbOutageSeconds", faults.nodesHealthyAfterOutageSeconds);
        if (faults.kills.size() < 3) {
            failures.add("faults: only " + faults.kills.size() + " kills happened");
        }
        Set<String> missing = new LinkedHashSet<>(List.of("SFTP", "S3", "WEBHOOK", "SQS"));
        missing.removeAll(channelsHit);
        if (!missing.isEmpty()) {
            failures.add("faults: no kill caught " + missing + " work in flight (kills hit " + channelsHit + ")");
        }
        if (faults.sigterm == null) {
            failures.add("faults: the SIGTERM did not happen");
        }
        failures.addAll(faults.problems);
    }

    /**
     * Seconds from the kill until the last receipt the killed node held was DONE or FAILED; -1 if one never was. A
     * webhook group caught in its transaction (a negative id) left nothing to finish: its calls' retries write them
     * afresh, and the ledger checks find them.
     */
    private double recoverySeconds(Faults.Kill kill) {
        List<Long> receipts = kill.receiptsInFlight().stream().filter(id -> id > 0).toList();
        if (receipts.isEmpty()) {
            return 0;
        }
        Map<String, Object> row = infra.jdbc.sql("""
                        select count(*) filter (where status not in ('DONE', 'FAILED')) as open,
                               extract(epoch from max(updated_at)) as last
                        from source_files where id in (:ids)""")
                .param("ids", receipts).query().singleRow();
        if (((Number) row.get("open")).longValue() > 0) {
            return -1;
        }
        double last = ((Number) row.get("last")).doubleValue();
        double at = kill.at().toEpochMilli() / 1000.0;
        return Math.round(Math.max(0, last - at) * 10) / 10.0;
    }

    private void checkSenders() {
        ObjectNode senders = result.putObject("senders");
        senders.put("sftpUploads", feeders.sftpUploaded.get());
        senders.put("sftpRetries", feeders.sftpRetries.get());
        senders.put("s3Uploads", feeders.s3Uploaded.get());
        senders.put("webhooksAnswered", feeders.webhooksAnswered.get());
        senders.put("webhookRetries", feeders.webhookRetries.get());
        senders.put("sqsSent", feeders.sqsSent.get());
        ObjectNode statuses = senders.putObject("webhookStatuses");
        feeders.webhookStatuses.forEach((k, v) -> statuses.put(k, v.get()));
        ObjectNode outage = senders.putObject("webhookStatusesDuringDbOutage");
        feeders.webhookStatusesDuringOutage.forEach((k, v) -> outage.put(k, v.get()));
        if (!feeders.gaveUp.isEmpty()) {
            failures.add("senders gave up on " + feeders.gaveUp.size() + " units: " + sample(feeders.gaveUp));
        }
        int fiveHundreds = feeders.webhookStatuses.entrySet().stream()
                .filter(e -> e.getKey().startsWith("5") && !e.getKey().equals("503")).mapToInt(e -> e.getValue().get())
                .sum();
        if (fiveHundreds > 0) {
            failures.add("webhooks: " + fiveHundreds + " answers were 5xx other than 503 (a sender must never get a "
                    + "500; an outage is a 503 with Retry-After): " + feeders.webhookStatuses + ", during the "
                    + "database outage " + feeders.webhookStatusesDuringOutage);
        }
        if (feeders.webhook503WithoutRetryAfter.get() > 0) {
            failures.add("webhooks: " + feeders.webhook503WithoutRetryAfter.get() + " 503 answers without Retry-After");
        }
    }

    // ---------------------------------------------------------------------------------------------------- misc

    private static String sample(List<String> values) {
        return values.stream().limit(5).collect(Collectors.joining(", ", "[", values.size() > 5 ? ", …]" : "]"));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return bytes == 32 ? Base64.getEncoder().encodeToString(value)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private synchronized void cleanUp() {
        if (feeders != null) {
            feeders.shutdown();
        }
        if (billing != null) {
            billing.shutdown();
        }
        for (HubNode node : nodes) {
            node.stopQuietly();
        }
        if (infra != null) {
            infra.close();
            infra = null;
        }
    }
}
