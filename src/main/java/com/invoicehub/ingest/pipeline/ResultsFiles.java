package com.invoicehub.ingest.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Outcome;

/**
 * The per-row results a partner gets back ({@code <file>.results.csv}: row, externalId, outcome, reason,
 * message), from each record's latest attempt, streamed from the database to a local file.
 */
@Component
public class ResultsFiles {

    /** Each of the file's records with its latest attempt (the view {@code latest_attempts}, V25). */
    static final String LATEST_ATTEMPTS = """
            select row_number, external_id, outcome, reason_code, message
            from latest_attempts
            where source_file_id = :file and outcome is not null""";

    private final JdbcClient jdbc;

    ResultsFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One row's latest outcome, as a results file line and a webhook answer item show it. */
    public record RowResult(int row, String externalId, String outcome, String reason, String message) {
    }

    public java.util.List<RowResult> rows(long fileId) {
        return jdbc.sql("select * from (" + LATEST_ATTEMPTS + ") latest order by row_number")
                .param("file", fileId)
                .query((rs, n) -> new RowResult(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    public Map<Outcome, Integer> counts(long fileId) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0);
        }
        jdbc.sql("select outcome, count(*) from (" + LATEST_ATTEMPTS + ") latest group by outcome")
                .param("file", fileId)
                .query(rs -> {
                    counts.put(Outcome.valueOf(rs.getString(1)), rs.getInt(2));
                });
        return counts;
    }

    public Path write(long fileId) {
        try {
            Path file = Files.createTempFile("results-" + fileId + "-", ".csv");
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                 CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder()
                         .setHeader("row", "externalId", "outcome", "reason", "message").setRecordSeparator('\n')
                         .get())) {
                jdbc.sql("select * from (" + LATEST_ATTEMPTS + ") latest order by row_number")
                        .param("file", fileId)
                        .query(rs -> {
                            try {
                                csv.printRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                        rs.getString(5));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results of file " + fileId, e);
        }
    }
}
