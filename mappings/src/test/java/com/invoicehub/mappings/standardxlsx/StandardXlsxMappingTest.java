package com.invoicehub.mappings.standardxlsx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.invoicehub.ingest.mapping.ReadLimits;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.mappings.SampleFiles;

/** Cells turned into the canonical item exactly; a bad cell rejects its row; an unreadable workbook is refused whole. */
class StandardXlsxMappingTest {

    private static final String FOLDER = "/com/invoicehub/mappings/standardxlsx/";
    private static final String[] HEADER = {"external_id", "customer_id", "customer_user_id", "user_name",
            "expense_type", "amount", "currency", "service_date", "description"};

    private final StandardXlsxMapping mapping = new StandardXlsxMapping();

    @Test
    void theSampleReadsTypedCellsAsTheCsvSaysThem() throws Exception {
        List<SourceRow> rows = rows(SampleFiles.open(FOLDER, "asu-online-2026-10.xlsx"));
        SourceRow first = rows.get(0);
        assertThat(first.rowNumber()).isEqualTo(3); // the title on row 1, the header on row 2
        assertThat(first.item().amount()).isEqualTo("39.59");
        assertThat(first.item().serviceDate()).isEqualTo("2026-10-04"); // a date cell shown as dd/mm/yyyy
        assertThat(rows.get(1).item().serviceDate()).isEqualTo("2026-10-24"); // shown as d mmm yyyy
        // a formula's cached result, never evaluated
        SourceRow computed = rows.stream().filter(r -> r.raw().contains("ASU-202610-000003\"")).findFirst()
                .orElseThrow();
        assertThat(computed.item().amount()).isEqualTo("102.02");
        SourceRow hidden = rows.stream().filter(r -> r.rowNumber() == 102).findFirst().orElseThrow();
        assertThat(hidden.raw()).startsWith("{\"hidden\":true,\"cells\":{");
        assertThat(hidden.item()).isNotNull();
        // the merged "description" header (I2:J2) shifts no column
        assertThat(first.item().description()).isEqualTo("MATH 101");
        SourceRow comma = rows.stream().filter(r -> "ASU-202610-000021".equals(r.externalId())).findFirst()
                .orElseThrow();
        assertThat(comma.item().amount()).isEqualTo("12,50"); // text: the rules reject it, not the mapping
    }

    @Test
    void everyRowReadsAgainFromItsKeptTextAsTheSameItem() throws Exception {
        for (SourceRow row : rows(SampleFiles.open(FOLDER, "asu-online-2026-10.xlsx"))) {
            SourceRow again = mapping.reread(row.rowNumber(), row.raw());
            assertThat(again).as(row.raw()).isEqualTo(row);
        }
    }

    @Test
    void numbersKeepTheirDecimalAndDatesTheirDay() throws Exception {
        byte[] workbook = workbook(sheet -> {
            Row row = dataRow(sheet, 1, "X-1");
            row.createCell(5).setCellValue(1250); // an integer-valued number
            Cell date = row.createCell(7);
            date.setCellValue(LocalDateTime.of(2026, 10, 14, 13, 30)); // a date with a time of day
            date.setCellStyle(style(sheet, "m/d/yy h:mm"));
            Row second = dataRow(sheet, 2, "X-2");
            second.createCell(5).setCellValue(0.1 + 0.2); // 0.30000000000000004: the double, shown as 0.3
            second.createCell(7).setCellValue("2026-10-15"); // a date as text
        });
        List<SourceRow> rows = rows(new ByteArrayInputStream(workbook));
        assertThat(rows.get(0).item().amount()).isEqualTo("1250");
        assertThat(rows.get(0).item().serviceDate()).isEqualTo("2026-10-14");
        assertThat(rows.get(0).raw()).contains("\"service_date\":{\"date\":\"2026-10-14T13:30\"}");
        assertThat(rows.get(1).item().amount()).isEqualTo("0.30000000000000004");
        assertThat(rows.get(1).item().serviceDate()).isEqualTo("2026-10-15");
        assertThat(com.invoicehub.mappings.tables.SheetRowsAccess.decimal("39.590000000000003")).isEqualTo("39.59");
        assertThat(com.invoicehub.mappings.tables.SheetRowsAccess.decimal("1.25E7")).isEqualTo("12500000");
    }

    @Test
    void aBadCellRejectsItsOwnRowNamingTheColumn() throws Exception {
        byte[] workbook = workbook(sheet -> {
            dataRow(sheet, 1, "X-1").createCell(7).setCellValue(46309); // a plain number where a date belongs
            Row error = dataRow(sheet, 2, "X-2");
            error.createCell(5).setCellFormula("1/0");
            sheet.getWorkbook().getCreationHelper().createFormulaEvaluator().evaluateFormulaCell(error.getCell(5));
            Row date = dataRow(sheet, 3, "X-3");
            Cell amount = date.createCell(5);
            amount.setCellValue(LocalDate.of(2026, 10, 1));
            amount.setCellStyle(style(sheet, "yyyy-mm-dd"));
            dataRow(sheet, 4, "X-4");
        });
        List<SourceRow> rows = rows(new ByteArrayInputStream(workbook));
        assertThat(rows).extracting(r -> r.rejection() == null ? "ok"
                        : r.rejection().code() + " " + r.rejection().field() + ": " + r.rejection().message())
                .containsExactly(
                        "INVALID_DATE serviceDate: column 'service_date' holds the number 46309, not a date (a date "
                                + "cell, or text as the layout writes dates)",
                        "INVALID_AMOUNT amount: column 'amount' holds the error #DIV/0!",
                        "INVALID_AMOUNT amount: column 'amount' holds the date 2026-10-01, not an amount",
                        "ok");
        assertThat(rows.get(0).externalId()).isEqualTo("X-1");
    }

    @Test
    void aFormulaSavedWithoutItsResultIsNotEvaluated() throws Exception {
        byte[] workbook = workbook(sheet -> dataRow(sheet, 1, "X-1").createCell(5).setCellFormula("2*3"));
        SourceRow row = rows(new ByteArrayInputStream(workbook)).get(0);
        assertThat(row.rejection().message()).contains("a formula saved without its result");
    }

    @Test
    void aNamedLayoutColumnTwiceOrNoHeaderRefusesTheWorkbook() throws Exception {
        byte[] noHeader = workbook(sheet -> sheet.getRow(0).getCell(0).setCellValue("reference"));
        assertThat(mapping.refusal(new ByteArrayInputStream(noHeader))).hasValueSatisfying(reason ->
                assertThat(reason).contains("no header row with the columns").contains("external_id"));
        byte[] twice = workbook(sheet -> sheet.getRow(0).createCell(12).setCellValue("AMOUNT"));
        assertThat(mapping.refusal(new ByteArrayInputStream(twice))).hasValueSatisfying(reason ->
                assertThat(reason).contains("names 'amount' 2 times"));
    }

    @Test
    void notAWorkbookOrACorruptOneIsRefusedWhole() throws Exception {
        assertThat(mapping.refusal(new ByteArrayInputStream("external_id,customer_id\n".getBytes(
                StandardCharsets.UTF_8)))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("not an XLSX workbook"));
        byte[] whole = workbook(sheet -> dataRow(sheet, 1, "X-1"));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertThat(mapping.refusal(new ByteArrayInputStream(truncated))).hasValueSatisfying(reason ->
                assertThat(reason).contains("not a readable XLSX workbook"));
    }

    @Test
    void aPasswordProtectedWorkbookIsRefusedSayingSo() throws Exception {
        byte[] plain = workbook(sheet -> dataRow(sheet, 1, "X-1"));
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor encryptor = info.getEncryptor();
            encryptor.confirmPassword("secret");
            try (OutputStream out = encryptor.getDataStream(fs)) {
                out.write(plain);
            }
            fs.writeFilesystem(encrypted);
        }
        assertThat(mapping.refusal(new ByteArrayInputStream(encrypted.toByteArray()))).hasValueSatisfying(reason ->
                assertThat(reason).contains("password-protected"));
    }

    @Test
    void aZipBombIsRefusedByPoisLimits() throws Exception {
        // A valid workbook whose sheet inflates ~1000 times (POI refuses beyond 100): a few KB that would be 20 MB.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            entry(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                    <Default Extension="xml" ContentType="application/xml"/>\
                    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                    </Types>""");
            entry(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                    </Relationships>""");
            entry(zip, "xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
                    <sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            entry(zip, "xl/_rels/workbook.xml.rels", """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
                    </Relationships>""");
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\""
                    + "http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 20; i++) {
                zip.write(spaces);
            }
            zip.write("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThat(bomb.size()).isLessThan(100_000);
        assertThat(mapping.refusal(new ByteArrayInputStream(bomb.toByteArray()))).hasValueSatisfying(reason ->
                assertThat(reason).contains("zip bomb"));
    }

    @Test
    void aCellLongerThanARowMayBeIsARowOfItsOwn() throws Exception {
        byte[] workbook = workbook(sheet -> {
            dataRow(sheet, 1, "X-1").createCell(8).setCellValue("d".repeat(5000));
            dataRow(sheet, 2, "X-2");
        });
        List<SourceRow> rows = new ArrayList<>();
        try (RowReader reader = mapping.open(new ByteArrayInputStream(workbook), new ReadLimits(1000, 100, 2000))) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        assertThat(rows.get(0).rejection().message()).contains("row 2 is").contains("longer than the limit of 1000");
        assertThat(rows.get(0).raw()).contains("[cut by the hub");
        assertThat(rows.get(1).item().externalId()).isEqualTo("X-2");
    }

    @Test
    void aTitleAboveTheHeaderAndTheHeaderMergedAcrossColumnsShiftNothing() throws Exception {
        byte[] workbook = workbook(sheet -> {
            sheet.shiftRows(0, sheet.getLastRowNum(), 2);
            sheet.createRow(0).createCell(0).setCellValue("Charges");
            sheet.addMergedRegion(new CellRangeAddress(0, 1, 0, 8));
            Row header = sheet.getRow(2);
            header.createCell(9).setCellValue("");
            sheet.addMergedRegion(new CellRangeAddress(2, 2, 4, 5)); // "expense_type" over E and F: amount moves
            header.getCell(5).setCellValue("");
            header.createCell(10).setCellValue("amount");
            Row row = dataRow(sheet, 3, "X-1");
            row.createCell(10).setCellValue(12.5);
        });
        SourceRow row = rows(new ByteArrayInputStream(workbook)).get(0);
        assertThat(row.rowNumber()).isEqualTo(4);
        assertThat(row.item().amount()).isEqualTo("12.5");
        assertThat(row.item().expenseType()).isEqualTo("TUITION");
    }

    private interface SheetWriter {
        void write(XSSFSheet sheet) throws IOException;
    }

    /** A workbook with the header on row 1 and what {@code rows} adds. */
    private static byte[] workbook(SheetWriter rows) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = workbook.createSheet("charges");
            Row header = sheet.createRow(0);
            for (int i = 0; i < HEADER.length; i++) {
                header.createCell(i).setCellValue(HEADER[i]);
            }
            rows.write(sheet);
            workbook.write(out);
            return out.toByteArray();
        }
    }

    /** A valid row (amount 10.00 as text, the date as text) at {@code index}, to be changed by the test. */
    private static Row dataRow(XSSFSheet sheet, int index, String externalId) {
        Row row = sheet.createRow(index);
        String[] values = {externalId, "acme", "emp-1", "Ada Lovelace", "TUITION", "10.00", "USD", "2026-10-14",
                "MATH 101"};
        for (int i = 0; i < values.length; i++) {
            row.createCell(i).setCellValue(values[i]);
        }
        return row;
    }

    private static CellStyle style(XSSFSheet sheet, String format) {
        CellStyle style = sheet.getWorkbook().createCellStyle();
        style.setDataFormat(sheet.getWorkbook().createDataFormat().getFormat(format));
        return style;
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
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
