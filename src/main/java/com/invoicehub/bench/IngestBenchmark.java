package com.invoicehub.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.postgresql.PGConnection;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.InvoiceHubApplication;
import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.customers.CustomerRequest;
import com.invoicehub.customers.CustomerType;
import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.partners.NewPartner;
import com.invoicehub.partners.PartnerRegistry;
import com.invoicehub.partners.PartnerType;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code java -Xmx512m -jar target/invoice-hub.jar bench [--rows N]}: generates an N-row standard CSV (default
 * 1,000,000), ingests it through the real pipeline into a local-stack PostgreSQL (its own data directory,
 * {@code data/bench}), then measures on the same rows a raw COPY into a table defined like the ledger's (same columns,
 * checks and indexes), and a textbook per-row
 * Camel route (split, JDBC idempotent consumer, single insert) on a 20,000-row slice. Last line: one JSON object.
 */
public final class IngestBenchmark {

    private static final int TEXTBOOK_ROWS = 20_000;
    private static final String[] CUSTOMERS = {"bench-acme", "bench-globex", "bench-initech"};
    private static final String[] TYPES = {"TUITION", "MATERIALS", "TUTORING", "FEES"};

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            if ("--rows".equals(args[i]) && i + 1 < args.length) {
                rows = Integer.parseInt(args[++i].replace("_", ""));
            }
        }
        SpringApplication application = new SpringApplication(InvoiceHubApplication.class);
        application.setAdditionalProfiles("bench");
        try (ConfigurableApplicationContext context = application.run()) {
            run(context, rows);
        }
    }

    private static void run(ConfigurableApplicationContext context, int rows) throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        DataSource dataSource = context.getBean(DataSource.class);
        String partner = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        ensureMasterData(context, partner);

        Path dir = Files.createDirectories(Path.of(context.getEnvironment().getProperty("hub.data-dir"), "files"));
        Path csv = dir.resolve(partner + ".csv");
        generate(csv, partner, rows);
        System.out.printf(Locale.ROOT, "Generated %,d rows (%,d bytes) in %s%n", rows, Files.size(csv), csv);

        HeapSampler heap = new HeapSampler();
        heap.start();
        long started = System.nanoTime();
        IngestResult result = context.getBean(FileIngestion.class).ingest(new IncomingFile(partner, Channel.SFTP,
                "standard-csv", csv.getFileName().toString(), "bench|" + partner, csv));
        double pipelineSeconds = seconds(started);
        heap.stop();
        System.out.printf(Locale.ROOT, "Pipeline: %s %s in %.1f s%n", result.status(), result.counts(),
                pipelineSeconds);

        jdbc.sql("drop table if exists bench_copy").update();
        // The ledger's own table definition (columns, checks, the same indexes), so COPY pays what applying pays.
        jdbc.sql("create table bench_copy (like line_items including defaults including constraints including indexes)")
                .update();
        jdbc.sql("""
                alter table bench_copy alter column partner_id set default 'bench',
                    alter column content_hash drop not null, alter column source_record_id drop not null,
                    alter column applied_at drop not null""").update();
        started = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Reader reader = Files.newBufferedReader(csv)) {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    copy bench_copy (external_id, customer_id, customer_user_id, user_name, expense_type, amount,
                                     currency, service_date, description)
                    from stdin with (format csv, header true)""", reader);
        }
        double copySeconds = seconds(started);
        System.out.printf(Locale.ROOT, "Raw COPY: %,d rows in %.1f s%n", rows, copySeconds);

        double textbookSeconds = textbook(context, jdbc, dataSource, csv, Math.min(rows, TEXTBOOK_ROWS));
        int textbookRows = Math.min(rows, TEXTBOOK_ROWS);
        System.out.printf(Locale.ROOT, "Textbook route: %,d rows in %.1f s%n", textbookRows, textbookSeconds);
        jdbc.sql("drop table if exists bench_copy").update();
        jdbc.sql("drop table if exists bench_textbook").update();

        double pipelineRate = rows / pipelineSeconds;
        double copyRate = rows / copySeconds;
        double textbookRate = textbookRows / textbookSeconds;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", rows);
        summary.put("pipelineRowsPerSec", Math.round(pipelineRate));
        summary.put("copyRowsPerSec", Math.round(copyRate));
        summary.put("textbookRowsPerSec", Math.round(textbookRate));
        summary.put("ratioToCopy", Math.round(pipelineRate / copyRate * 100) / 100.0);
        summary.put("ratioToTextbook", Math.round(pipelineRate / textbookRate * 10) / 10.0);
        summary.put("peakHeapMb", heap.peakMb());
        Files.deleteIfExists(csv);
        System.out.println(new ObjectMapper().writeValueAsString(summary));
    }

    static void ensureMasterData(ConfigurableApplicationContext context, String partner) {
        CustomerRegistry customers = context.getBean(CustomerRegistry.class);
        for (String id : CUSTOMERS) {
            if (!customers.currencies().containsKey(id)) {
                customers.register(new CustomerRequest(id, id, CustomerType.CORPORATION, "USD", "UTC", 1,
                        java.util.List.of("approver@" + id + ".example"), java.util.List.of("ap@" + id + ".example"),
                        new CustomerRequest.Delivery(true, null, null)));
            }
        }
        context.getBean(PartnerRegistry.class).register(new NewPartner(partner, "Benchmark partner",
                PartnerType.UNIVERSITY, "bench@invoice-hub.example", null));
    }

    private static void generate(Path csv, String partner, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("external_id,customer_id,customer_user_id,user_name,expense_type,amount,currency,service_date,"
                    + "description\n");
            for (int i = 1; i <= rows; i++) {
                out.write(partner);
                out.write('-');
                out.write(Integer.toString(i));
                out.write(',');
                out.write(CUSTOMERS[i % CUSTOMERS.length]);
                out.write(",emp-");
                out.write(Integer.toString(i % 5000));
                out.write(",Employee ");
                out.write(Integer.toString(i % 5000));
                out.write(',');
                out.write(TYPES[i % TYPES.length]);
                out.write(',');
                out.write(Integer.toString(10 + i % 990));
                out.write('.');
                out.write(String.format(Locale.ROOT, "%02d", i % 100));
                out.write(",USD,2026-10-");
                out.write(String.format(Locale.ROOT, "%02d", 1 + i % 28));
                out.write(",\"Course ");
                out.write(Integer.toString(i % 300));
                out.write(", Section 1\"\n");
            }
        }
    }

    /** The per-row route a first Camel integration would be: one idempotency check and one insert per row. */
    private static double textbook(ConfigurableApplicationContext context, JdbcClient jdbc, DataSource dataSource,
                                   Path csv, int rows) throws Exception {
        jdbc.sql("drop table if exists bench_textbook").update();
        jdbc.sql("""
                create table bench_textbook (
                    id bigserial primary key, external_id text not null unique, customer_id text, customer_user_id text,
                    user_name text, expense_type text, amount numeric(19,4), currency char(3), service_date date,
                    description text)""").update();
        jdbc.sql("delete from camel_messageprocessed where processorname = 'bench-textbook'").update();
        StringBuilder slice = new StringBuilder();
        try (BufferedReader reader = Files.newBufferedReader(csv)) {
            reader.readLine();
            for (int i = 0; i < rows; i++) {
                slice.append(reader.readLine()).append('\n');
            }
        }
        CamelContext camel = context.getBean(CamelContext.class);
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "bench-textbook");
        repository.setCreateTableIfNotExists(false);
        camel.getRegistry().bind("benchTextbookRepository", repository);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bench-textbook").routeId("bench-textbook")
                        .split(body().tokenize("\n")).streaming()
                        .process(exchange -> {
                            String line = exchange.getIn().getBody(String.class);
                            String[] f = line.split(",", 9);
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("externalId", f[0]);
                            row.put("customerId", f[1]);
                            row.put("customerUserId", f[2]);
                            row.put("userName", f[3]);
                            row.put("expenseType", f[4]);
                            row.put("amount", new java.math.BigDecimal(f[5]));
                            row.put("currency", f[6]);
                            row.put("serviceDate", java.sql.Date.valueOf(f[7]));
                            row.put("description", f[8]);
                            exchange.getIn().setBody(row);
                            exchange.getIn().setHeader("externalId", f[0]);
                        })
                        .idempotentConsumer(header("externalId"), repository)
                        .to("sql:insert into bench_textbook (external_id, customer_id, customer_user_id, user_name, "
                                + "expense_type, amount, currency, service_date, description) values (:#externalId, "
                                + ":#customerId, :#customerUserId, :#userName, :#expenseType, :#amount, :#currency, "
                                + ":#serviceDate, :#description)");
            }
        });
        ProducerTemplate producer = camel.createProducerTemplate();
        long started = System.nanoTime();
        producer.sendBody("direct:bench-textbook", slice.toString());
        double elapsed = seconds(started);
        camel.getRouteController().stopRoute("bench-textbook");
        camel.removeRoute("bench-textbook");
        return elapsed;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
