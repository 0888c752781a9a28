package com.invoicehub.mappings.standardcsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.ledger.ValidLineItem;
import com.invoicehub.mappings.SampleFiles;

class StandardCsvMappingTest {

    private final StandardCsvMapping mapping = new StandardCsvMapping(new DefaultCamelContext());

    @Test
    void asuSampleMatchesExpected() throws Exception {
        JsonNode expected = SampleFiles.expected("asu-online-2026-10.csv");
        SampleFiles.Outcome outcome = SampleFiles.read(mapping, "asu-online-2026-10.csv");

        assertThat(outcome.rows()).hasSize(expected.get("rows").asInt());
        assertThat(outcome.valid()).hasSize(expected.get("applied").asInt());
        assertThat(outcome.rejected()).isEqualTo(SampleFiles.expectedRejections(expected));
    }

    @Test
    void keepsEachRowAsSentAndReadsQuotedSeparators() throws Exception {
        SampleFiles.Outcome outcome = SampleFiles.read(mapping, "asu-online-2026-10.csv");
        SourceRow first = outcome.rows().get(0);
        assertThat(first.rowNumber()).isEqualTo(2);
        assertThat(first.raw()).isEqualTo(
                "ASU-202610-000001,acme,emp-9958,Alan Lovelace,TUTORING,39.59,USD,2026-10-04,MATH 101");
        ValidLineItem quoted = outcome.valid().stream().filter(i -> i.externalId().equals("ASU-202610-000010"))
                .findFirst().orElseThrow();
        assertThat(quoted.description()).isEqualTo("ENG 102, Composition");
        assertThat(quoted.expenseType()).isEqualTo(ExpenseType.TUTORING);
        assertThat(quoted.amount().toPlainString()).isEqualTo("359.16");
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedSayingWhy() {
        byte[] file = "id,amount\n1,2\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> mapping.open(new ByteArrayInputStream(file)))
                .isInstanceOf(FileRefusedException.class)
                .hasMessageContaining("line 1").hasMessageContaining("external_id");
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsAParseErrorNamingTheLine() throws Exception {
        byte[] file = (String.join(",", StandardCsvMapping.HEADER) + "\nX-1,acme,emp-1\n")
                .getBytes(StandardCharsets.UTF_8);
        try (var reader = mapping.open(new ByteArrayInputStream(file))) {
            SourceRow row = reader.next();
            assertThat(row.rejection().code().name()).isEqualTo("PARSE_ERROR");
            assertThat(row.rejection().message()).contains("line 2").contains("3 fields");
            assertThat(reader.next()).isNull();
        }
    }
}
