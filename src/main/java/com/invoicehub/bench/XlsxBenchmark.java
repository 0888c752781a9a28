package com.invoicehub.bench;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.InvoiceHubApplication;
import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;
import com.invoicehub.ingest.IngestResult;
import com.invoicehub.ingest.pipeline.FileIngestion;

/**
 * {@code java -Xmx512m -jar target/invoice-hub.jar bench xlsx [--rows N]}: generates an N-row {@code standard-xlsx}
 * workbook (default 200,000; unique ids and descriptions as shared strings, amounts as numbers, dates as date cells),
 * ingests it through the real pipeline and reports the peak heap, to show the XLSX reader streams (its memory does
 * not grow with the sheet). Last line: one JSON object.
 */
final class XlsxBenchmark {

    private static final String[] CUSTOMERS = {"bench-acme", "bench-globex", "bench-initech"};
    private static final String[] TYPES = {"TUITION", "MATERIALS", "TUTORING", "FEES"};

    private XlsxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 200_000;
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
        String partner = "bench-xlsx-" + Long.toString(System.currentTimeMillis(), 36);
        IngestBenchmark.ensureMasterData(context, partner);
        Path dir = Files.createDirectories(Path.of(context.getEnvironment().getProperty("hub.data-dir"), "files"));
        Path xlsx = dir.resolve(partner + ".xlsx");
        generate(xlsx, partner, rows);
        System.out.printf(Locale.ROOT, "Generated %,d rows (%,d bytes) in %s%n", rows, Files.size(xlsx), xlsx);
        System.gc();
        long heapBefore = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;

        HeapSampler heap = new HeapSampler();
        heap.start();
        long started = System.nanoTime();
        IngestResult result = context.getBean(FileIngestion.class).ingest(new IncomingFile(partner, Channel.SFTP,
                "standard-xlsx", xlsx.getFileName().toString(), "bench|" + partner, xlsx));
        double seconds = (System.nanoTime() - started) / 1e9;
        heap.stop();
        System.out.printf(Locale.ROOT, "Pipeline: %s %s in %.1f s%n", result.status(), result.counts(), seconds);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", rows);
        summary.put("fileBytes", Files.size(xlsx));
        summary.put("status", result.status().name());
        summary.put("pipelineRowsPerSec", Math.round(rows / seconds));
        summary.put("heapBeforeMb", heapBefore);
        summary.put("peakHeapMb", heap.peakMb());
        summary.put("peakLiveHeapMb", heap.peakLiveMb());
        summary.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        Files.deleteIfExists(xlsx);
        System.out.println(new ObjectMapper().writeValueAsString(summary));
    }

    /** Written by POI's streaming writer with a shared-strings table, as Excel and LibreOffice write text. */
    private static void generate(Path xlsx, String partner, int rows) throws Exception {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(null, 200, true, true);
             OutputStream out = Files.newOutputStream(xlsx)) {
            Sheet sheet = workbook.createSheet("charges");
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.createDataFormat().getFormat("dd/mm/yyyy"));
            Row header = sheet.createRow(0);
            String[] names = {"external_id", "customer_id", "customer_user_id", "user_name", "expense_type", "amount",
                    "currency", "service_date", "description"};
            for (int i = 0; i < names.length; i++) {
                header.createCell(i).setCellValue(names[i]);
            }
            for (int i = 1; i <= rows; i++) {
                Row row = sheet.createRow(i);
                row.createCell(0).setCellValue(partner + "-" + i);
                row.createCell(1).setCellValue(CUSTOMERS[i % CUSTOMERS.length]);
                row.createCell(2).setCellValue("emp-" + i % 5000);
                row.createCell(3).setCellValue("Employee " + i % 5000);
                row.createCell(4).setCellValue(TYPES[i % TYPES.length]);
                row.createCell(5).setCellValue((10 + i % 990) + (i % 100) / 100.0);
                row.createCell(6).setCellValue("USD");
                row.createCell(7).setCellValue(LocalDate.of(2026, 10, 1 + i % 28));
                row.getCell(7).setCellStyle(date);
                row.createCell(8).setCellValue("Course " + i + ", Section 1"); // unique: the shared strings grow
            }
            workbook.write(out);
            workbook.dispose();
        }
    }
}
