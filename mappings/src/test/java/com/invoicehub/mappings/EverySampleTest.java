package com.invoicehub.mappings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.ingest.mapping.PartnerJsonMapping;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.mappings.brightpathfixed.BrightpathFixedMapping;
import com.invoicehub.mappings.northwindcsv.NorthwindCsvMapping;
import com.invoicehub.mappings.standardcsv.StandardCsvMapping;
import com.invoicehub.mappings.standardxlsx.StandardXlsxMapping;
import com.invoicehub.mappings.statementdocx.StatementDocxMapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every partner sample under {@code samples/} read by its mapping and the hub's rules, against what
 * {@code expected.json} says: its rows, the rows valid for the ledger (applied, or duplicate or conflict once the
 * ledger holds their keys), each rejection by id and reason, or the whole file refused. A new mapping adds its sample
 * and its line in {@link #MAPPINGS}.
 */
class EverySampleTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    /** The mappings by the name expected.json gives them; a webhook batch is the hub's own canonical JSON. */
    private static final Map<String, PartnerMapping> MAPPINGS = Map.of(
            "standard-csv", new StandardCsvMapping(CAMEL),
            "northwind-csv", new NorthwindCsvMapping(CAMEL),
            "brightpath-fixed", new BrightpathFixedMapping(CAMEL),
            "standard-xlsx", new StandardXlsxMapping(),
            "statement-docx", new StatementDocxMapping(),
            "lumen-learning", lumenLearning(),
            CanonicalJsonMapping.NAME, new CanonicalJsonMapping());

    /** The shared samples, then each mapping's own folder with its samples and expected.json. */
    private static final List<String> FOLDERS = List.of(SampleFiles.SHARED,
            "/com/invoicehub/mappings/standardxlsx/", "/com/invoicehub/mappings/statementdocx/", "/partner-json/");

    /** A partner JSON shape is data: the file the hub loads (mappings/json/), read the same way. */
    private static PartnerMapping lumenLearning() {
        try {
            return PartnerJsonMapping.load("lumen-learning", Files.readString(Path.of("mappings/json/lumen-learning.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Sample(String folder, String file, JsonNode expected) {
        PartnerMapping mapping() {
            return MAPPINGS.get(expected.has("mapping") ? expected.get("mapping").asText() : CanonicalJsonMapping.NAME);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Sample> samples() throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (InputStream in = SampleFiles.open(folder, "expected.json")) {
                new ObjectMapper().readTree(in).get("files").fields()
                        .forEachRemaining(file -> samples.add(new Sample(folder, file.getKey(), file.getValue())));
            }
        }
        return samples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void readsAsExpected(Sample sample) throws Exception {
        assertThat(sample.mapping()).as("a mapping for " + sample.file()).isNotNull();
        if (sample.expected().has("whole_file")) {
            try (InputStream in = SampleFiles.open(sample.folder(), sample.file())) {
                assertThat(sample.mapping().refusal(in)).as(sample.expected().get("whole_file").asText())
                        .isPresent();
            }
            return;
        }
        try (InputStream in = SampleFiles.open(sample.folder(), sample.file())) {
            assertThat(sample.mapping().refusal(in)).isEmpty();
        }
        SampleFiles.Outcome outcome = SampleFiles.read(sample.mapping(), sample.folder(), sample.file());
        JsonNode expected = sample.expected();
        assertThat(outcome.rows()).hasSize(expected.get("rows").asInt());
        int forTheLedger = expected.get("applied").asInt() + size(expected, "duplicate") + size(expected, "conflict");
        assertThat(outcome.valid()).hasSize(forTheLedger);
        assertThat(outcome.rejected()).isEqualTo(expected.has("rejected")
                ? SampleFiles.expectedRejections(expected) : Map.of());
    }

    private static int size(JsonNode expected, String field) {
        return expected.has(field) ? expected.get(field).size() : 0;
    }
}
