package com.invoicehub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.InvoiceHubApplication;
import com.invoicehub.invoicing.BillingPeriod;
import com.invoicehub.invoicing.InvoiceRun;
import com.invoicehub.invoicing.Schedules;
import com.invoicehub.security.Credentials;
import com.invoicehub.security.SecretCipher;

/**
 * {@code java -Xmx512m -jar target/invoice-hub.jar bench invoices [--customers N --items M]}: a whole billing day on
 * one node. Sets up (not timed, bulk SQL) N customers all due today, each with two approvers and 20 users, and M
 * applied, unbilled line items spread over them (one in twenty from before the period); then times
 * {@link Schedules#runDue()}, the very call the {@code invoice-schedules} route makes, until it returns: every
 * invoice is then committed AWAITING_APPROVAL with its approval requests (written in the invoice's transaction).
 * Afterwards one query checks every invoice (total = sum of lines = sum of its line items = sum of the items billed,
 * the counts, each line against its own items). Runs on a fresh local stack of its own, {@code data/bench-invoices}.
 * Last line: one JSON object.
 */
public final class InvoiceBenchmark {

    private static final String PREFIX = "bench-c";
    private static final int USERS_PER_CUSTOMER = 20;

    private InvoiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int customers = 10_000;
        int items = 1_000_000;
        for (int i = 0; i < args.length - 1; i++) {
            switch (args[i]) {
                case "--customers" -> customers = Integer.parseInt(args[++i].replace("_", ""));
                case "--items" -> items = Integer.parseInt(args[++i].replace("_", ""));
                default -> { }
            }
        }
        Path dataDir = freshDataDirectory("bench-invoices");
        SpringApplication application = new SpringApplication(InvoiceHubApplication.class);
        application.setAdditionalProfiles("bench");
        // A line per customer at INFO would drown the output; the run's work is the same either way.
        try (ConfigurableApplicationContext context = application.run("--hub.data-dir=" + dataDir,
                "--logging.level.com.invoicehub.invoicing.Schedules=WARN")) {
            run(context, dataDir, customers, items);
        }
    }

    /** The benchmark's own local stack, emptied first so every run starts from the same database. */
    static Path freshDataDirectory(String name) throws IOException {
        String base = System.getenv().getOrDefault("HUB_DATA_DIR", "./data");
        Path dir = Path.of(base, name).toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return dir;
    }

    private static void run(ConfigurableApplicationContext context, Path dataDir, int customers, int items)
            throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        Clock clock = context.getBean(Clock.class);
        // Day 1 in UTC: the latest closed period ends on the 1st of this month; with no run yet, every one is due.
        BillingPeriod period = BillingPeriod.latestClosed(1, ZoneOffset.UTC, clock.instant());
        long started = System.nanoTime();
        setUp(jdbc, context.getBean(SecretCipher.class), period, customers, items);
        System.out.printf(Locale.ROOT, "Set up %,d customers and %,d items (period %s to %s) in %.1f s%n", customers,
                items, period.start(), period.end(), seconds(started));

        Path postgres = dataDir.resolve("postgres");
        Thread runner = Thread.currentThread();
        StackSampler stacks = new StackSampler(t -> t == runner);
        HeapSampler heap = new HeapSampler();
        System.gc();
        Map<String, Object> scansBefore = lineItemScans(jdbc);
        ProcessCpu cpuBefore = ProcessCpu.now(postgres);
        double load = ProcessCpu.loadAverage();
        heap.start();
        stacks.start();
        started = System.nanoTime();
        List<InvoiceRun.Result> results = context.getBean(Schedules.class).runDue();
        double billingDaySeconds = seconds(started);
        stacks.stop();
        heap.stop();
        ProcessCpu cpu = ProcessCpu.now(postgres).minus(cpuBefore);
        // PostgreSQL publishes a backend's table statistics when it goes idle (up to 10 s later): wait for them.
        Thread.sleep(11_000);
        Map<String, Object> scans = lineItemScans(jdbc);
        long seqScans = delta(scans, scansBefore, "seq_scan");
        long seqRows = delta(scans, scansBefore, "seq_tup_read");
        long created = results.stream().filter(InvoiceRun.Result::created).count();
        System.out.printf(Locale.ROOT, "Billing day: %,d runs, %,d invoices in %.1f s (hub CPU %.1f s, PostgreSQL CPU"
                + " %.1f s, load average %.1f)%n", results.size(), created, billingDaySeconds, cpu.hubSeconds(),
                cpu.postgresSeconds(), load);
        System.out.printf(Locale.ROOT, "line_items during the day: %,d sequential scans reading %,d rows, %,d index"
                + " scans%n", seqScans, seqRows, delta(scans, scansBefore, "idx_scan"));
        System.out.println("Where the runner thread was (share of samples, innermost hub frame | doing):");
        stacks.top(12).forEach(line -> System.out.println("  " + line));

        Map<String, Object> done = jdbc.sql("""
                        select count(*) as invoices,
                               count(*) filter (where i.status <> 'AWAITING_APPROVAL') as not_awaiting,
                               count(*) filter (where (select count(*) from approval_tokens t where t.invoice_id = i.id)
                                                      <> cardinality(c.approver_emails)) as without_requests,
                               (select count(*) from approval_tokens t join invoices j on j.id = t.invoice_id
                                where j.customer_id like 'bench-c%') as requests,
                               (select count(*) from line_items li where li.customer_id like 'bench-c%'
                                  and li.invoice_id is null) as unbilled
                        from invoices i join customers c on c.id = i.customer_id
                        where i.customer_id like 'bench-c%'""").query().singleRow();
        started = System.nanoTime();
        Map<String, Object> invariant = invariant(jdbc);
        System.out.printf(Locale.ROOT, "Done: %s; invariant %s (checked in %.1f s)%n", done, invariant,
                seconds(started));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("customers", customers);
        summary.put("items", items);
        summary.put("invoices", ((Number) done.get("invoices")).longValue());
        summary.put("billingDaySeconds", Math.round(billingDaySeconds * 10) / 10.0);
        summary.put("msPerInvoice", Math.round(billingDaySeconds * 1000 / Math.max(1, created) * 100) / 100.0);
        summary.put("itemsPerSec", Math.round(items / billingDaySeconds));
        summary.put("approvalRequests", ((Number) done.get("requests")).longValue());
        summary.put("notAwaitingApproval", ((Number) done.get("not_awaiting")).longValue());
        summary.put("invoicesWithoutTheirRequests", ((Number) done.get("without_requests")).longValue());
        summary.put("itemsLeftUnbilled", ((Number) done.get("unbilled")).longValue());
        summary.put("invariantBreaches", ((Number) invariant.get("breaches")).longValue());
        summary.put("peakHeapMb", heap.peakMb());
        summary.put("peakLiveHeapMb", heap.peakLiveMb());
        summary.put("hubCpuSeconds", Math.round(cpu.hubSeconds() * 10) / 10.0);
        summary.put("postgresCpuSeconds", Math.round(cpu.postgresSeconds() * 10) / 10.0);
        summary.put("lineItemsSeqScans", seqScans);
        summary.put("lineItemsRowsSeqRead", seqRows);
        summary.put("runnerWaitingForPostgres", stacks.waitingForPostgres());
        summary.put("loadAverage", load);
        System.out.println(new ObjectMapper().writeValueAsString(summary));
    }

    /**
     * Customers, schedules, users and items by set-based SQL: creating 10,000 customers through the API costs minutes
     * (BCrypt per ops call) and is not what is measured. Rows are shaped like the hub's own (a real encrypted secret,
     * hashed API keys, users named as the ingest learns them).
     */
    private static void setUp(JdbcClient jdbc, SecretCipher cipher, BillingPeriod period, int customers, int items) {
        jdbc.sql("""
                        insert into customers (id, name, type, currency, time_zone, invoice_day, approver_emails,
                                               billing_emails, deliver_by_email, api_key_hash, webhook_secret_enc,
                                               created_at, updated_at)
                        select 'bench-c' || lpad(n::text, 6, '0'), 'Bench customer ' || n, 'CORPORATION', 'USD', 'UTC',
                               1, array['approver-a@c' || n || '.example', 'approver-b@c' || n || '.example'],
                               array['ap@c' || n || '.example'], true,
                               encode(sha256(convert_to('bench-key-' || n, 'UTF8')), 'hex'), :secret, now(), now()
                        from generate_series(1, :n) n""")
                .param("secret", cipher.encrypt(Credentials.newSigningSecret())).param("n", customers).update();
        jdbc.sql("""
                        insert into billing_schedules (customer_id, day_of_month, time_zone, enabled, updated_at)
                        select id, invoice_day, time_zone, true, now() from customers where id like 'bench-c%'
                        on conflict (customer_id) do nothing""").update();
        jdbc.sql("""
                        insert into customer_users (customer_id, id, name, first_seen_at, updated_at)
                        select c.id, 'emp-' || u, 'Employee ' || u, now(), now()
                        from customers c, generate_series(0, :users - 1) u where c.id like 'bench-c%'""")
                .param("users", USERS_PER_CUSTOMER).update();
        // Item i: customer i mod N, user (i / N) mod 20, one of four types; one in twenty from before the period.
        jdbc.sql("""
                        insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                                expense_type, amount, currency, service_date, description,
                                                content_hash, source_record_id, applied_at)
                        select 'bench-partner', 'item-' || i, 'bench-c' || lpad((1 + i % :n)::text, 6, '0'),
                               'emp-' || ((i / :n) % :users), 'Employee ' || ((i / :n) % :users),
                               (array['TUITION', 'MATERIALS', 'TUTORING', 'FEES'])[1 + i % 4],
                               (10 + i % 990) + (i % 100) / 100.0, 'USD',
                               case when i % 20 = 0 then cast(:start as date) - 1 - (i % 28)
                                    else cast(:start as date) + (i % (cast(:end as date) - cast(:start as date))) end,
                               'Course ' || (i % 300), md5(i::text) || md5('x' || i), i, now()
                        from generate_series(1, :m) i""")
                .param("n", customers).param("users", USERS_PER_CUSTOMER).param("m", items)
                .param("start", Date.valueOf(period.start())).param("end", Date.valueOf(period.end())).update();
        // As after a month of ingest: statistics current, the heap's visibility map set, the setup's writes flushed.
        for (String table : List.of("customers", "billing_schedules", "customer_users", "line_items")) {
            jdbc.sql("vacuum analyze " + table).update();
        }
        jdbc.sql("checkpoint").update();
    }

    /**
     * Every invoice against the tables, in one query, as InvoiceInvariant checks one before commit (but recomputed
     * here independently): total = sum of lines = sum of counted line items = sum of items billed; lines' counts,
     * counted items and billed items agree; each line adds up to its own line items; every counted item is billed to
     * that invoice and in its currency. A breach is an invoice failing any of these.
     */
    private static Map<String, Object> invariant(JdbcClient jdbc) {
        return jdbc.sql("""
                with inv as (
                    select id, total, currency from invoices where customer_id like 'bench-c%'),
                billed as (
                    select li.invoice_id, sum(li.amount) as total, count(*) as items,
                           count(*) filter (where li.currency <> inv.currency) as other_currency
                    from line_items li join inv on inv.id = li.invoice_id group by li.invoice_id),
                counted as (
                    select x.invoice_id, sum(x.amount) as total, count(*) as items,
                           count(*) filter (where li.invoice_id is distinct from x.invoice_id
                                              or li.amount <> x.amount) as strays
                    from invoice_line_items x join inv on inv.id = x.invoice_id
                    join invoice_lines l on l.id = x.invoice_line_id and l.invoice_id = x.invoice_id
                    left join line_items li on li.id = x.line_item_id
                    where not x.excluded group by x.invoice_id),
                per_line as (
                    select x.invoice_line_id, sum(x.amount) as total, count(*) as items
                    from invoice_line_items x join inv on inv.id = x.invoice_id
                    where not x.excluded group by x.invoice_line_id),
                lines as (
                    select l.invoice_id, sum(l.total) as total, sum(l.item_count) as items,
                           count(*) filter (where l.total <> coalesce(p.total, 0)
                                              or l.item_count <> coalesce(p.items, 0)) as wrong
                    from invoice_lines l join inv on inv.id = l.invoice_id
                    left join per_line p on p.invoice_line_id = l.id group by l.invoice_id)
                select count(*) as invoices,
                       count(*) filter (where not coalesce(
                               inv.total = lines.total and inv.total = counted.total and inv.total = billed.total
                               and lines.items = billed.items and counted.items = billed.items
                               and lines.wrong = 0 and counted.strays = 0 and billed.other_currency = 0,
                               false)) as breaches
                from inv left join billed on billed.invoice_id = inv.id
                left join counted on counted.invoice_id = inv.id
                left join lines on lines.invoice_id = inv.id""").query().singleRow();
    }

    private static Map<String, Object> lineItemScans(JdbcClient jdbc) {
        return jdbc.sql("""
                select coalesce(seq_scan, 0) as seq_scan, coalesce(seq_tup_read, 0) as seq_tup_read,
                       coalesce(idx_scan, 0) as idx_scan
                from pg_stat_user_tables where relname = 'line_items'""").query().singleRow();
    }

    private static long delta(Map<String, Object> after, Map<String, Object> before, String key) {
        return ((Number) after.get(key)).longValue() - ((Number) before.get(key)).longValue();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
