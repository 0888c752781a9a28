package com.invoicehub.mappings.statementdocx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.mappings.SampleFiles;

/** The first table whose header is the layout's, numbered by table row; merged cells; the total checked. */
class StatementDocxMappingTest {

    private static final String FOLDER = "/com/invoicehub/mappings/statementdocx/";
    private static final String SAMPLE = "brightpath-statement-2026-10.docx";

    private final StatementDocxMapping mapping = new StatementDocxMapping();

    @Test
    void readsTheChargesTableNotTheAddressBlockNorTheLetter() throws Exception {
        List<SourceRow> rows = rows(SampleFiles.open(FOLDER, SAMPLE));
        assertThat(rows).hasSize(12);
        assertThat(rows).extracting(SourceRow::rowNumber).startsWith(2, 3, 4).endsWith(13);
        SourceRow first = rows.get(0);
        assertThat(first.item().amount()).isEqualTo("3371.14");
        assertThat(first.item().serviceDate()).isEqualTo("2026-10-03");
        assertThat(first.item().expenseType()).isEqualTo("TUITION");
        // merged down: the name shows in each of the three rows, so each has it
        assertThat(rows.get(1).item().userName()).isEqualTo("Alan Backus");
        assertThat(rows.get(2).item().userName()).isEqualTo("Alan Backus");
        assertThat(rows.get(1).item().description()).isEqualTo("Calculus I, two sessions");
        assertThat(rows.get(6).rejection().message()).isEqualTo(
                "column 'Amount' holds '1.250,00', not an amount like 1,250.00 or -87.10");
        assertThat(rows.get(6).rejection().field()).isEqualTo("amount");
        assertThat(rows.get(8).rejection().message()).contains("'31 Sep 2026'");
        for (SourceRow row : rows) {
            assertThat(mapping.reread(row.rowNumber(), row.raw())).isEqualTo(row);
        }
    }

    @Test
    void aTotalThatDiffersFromTheRowsRefusesTheStatement() throws Exception {
        byte[] sample;
        try (InputStream in = SampleFiles.open(FOLDER, SAMPLE)) {
            sample = in.readAllBytes();
        }
        assertThat(mapping.refusal(new ByteArrayInputStream(sample))).isEmpty();
        ByteArrayOutputStream changed = new ByteArrayOutputStream();
        try (var document = new org.apache.poi.xwpf.usermodel.XWPFDocument(new ByteArrayInputStream(sample))) {
            var total = document.getTables().get(1).getRow(13).getCell(1).getParagraphs().get(0).getRuns().get(0);
            total.setText("5,181.65", 0);
            document.write(changed);
        }
        assertThat(mapping.refusal(new ByteArrayInputStream(changed.toByteArray()))).hasValueSatisfying(reason ->
                assertThat(reason).isEqualTo("the total row (table row 14) says 5181.65, the rows' amounts add up "
                        + "to 5181.64"));
    }

    @Test
    void aDocumentWithoutTheTableOrNotADocumentIsRefusedWhole() throws Exception {
        ByteArrayOutputStream letter = new ByteArrayOutputStream();
        try (var document = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            document.createParagraph().createRun().setText("Dear customer, no charges this month.");
            document.createTable(1, 2).getRow(0).getCell(0).setText("Reference");
            document.write(letter);
        }
        assertThat(mapping.refusal(new ByteArrayInputStream(letter.toByteArray()))).hasValueSatisfying(reason ->
                assertThat(reason).contains("no table whose first row has the columns [Reference, Customer"));
        assertThat(mapping.refusal(new ByteArrayInputStream("Reference;Customer".getBytes(StandardCharsets.UTF_8))))
                .hasValueSatisfying(reason -> assertThat(reason).contains("not a DOCX document"));
    }

    private List<SourceRow> rows(InputStream in) throws IOException {
        List<SourceRow> rows = new ArrayList<>();
        try (in; RowReader reader = mapping.open(in)) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }
}
