package com.invoicehub.mappings.standardcsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.ledger.ValidLineItem;
import com.invoicehub.mappings.SampleFiles;

class StandardCsvMappingTest {

    private final StandardCsvMapping mapping = new StandardCsvMapping(new DefaultCamelContext());

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

    @Test
    void aQuoteThatNeverClosesRejectsItsOwnLineOnlyAndTheRestIsRead() throws Exception {
        String good = "acme,emp-1,Ada Lovelace,TUITION,10.00,USD,2026-10-14,MATH 101";
        String file = String.join(",", StandardCsvMapping.HEADER) + "\n"
                + "Q-1," + good + "\n"
                + "Q-2," + good.replace("MATH 101", "\"MATH 101, stray quote") + "\n"
                + "Q-3," + good + "\n"
                + "Q-4," + good.replace("MATH 101", "\"a field\nover two lines\"") + "\n"
                + "Q-5," + good + "\n";
        List<SourceRow> rows = new ArrayList<>();
        try (var reader = mapping.open(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)))) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        assertThat(rows).extracting(SourceRow::rowNumber).containsExactly(2, 3, 4, 5, 7);
        assertThat(rows.get(1).rejection().code().name()).isEqualTo("PARSE_ERROR");
        assertThat(rows.get(1).raw()).endsWith("stray quote");
        assertThat(rows).filteredOn(row -> row.rejection() == null).extracting(SourceRow::externalId)
                .containsExactly("Q-1", "Q-3", "Q-4", "Q-5");
        assertThat(rows.get(3).raw()).contains("a field\nover two lines");
    }
}
