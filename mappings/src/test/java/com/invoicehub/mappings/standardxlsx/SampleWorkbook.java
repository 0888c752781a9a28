package com.invoicehub.mappings.standardxlsx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import com.invoicehub.mappings.SampleFiles;

/**
 * How {@code asu-online-2026-10.xlsx} was made: no LibreOffice on the build machine, so POI writes what
 * {@code soffice --headless --convert-to xlsx asu-online-2026-10.csv} makes of the standard CSV (a number where the text
 * is a plain number, a date cell where it is an ISO date, shared strings for the rest), plus what a person does to a
 * sheet before sending it: a title row merged across the columns, the description header merged over two columns, a
 * hidden row, amounts as formulas (saved with their results), dates shown as {@code dd/mm/yyyy} and
 * {@code d mmm yyyy}. Run {@code main} to write it again (it is committed; tests read the committed bytes).
 */
public final class SampleWorkbook {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private SampleWorkbook() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0]
                : "mappings/src/test/resources/com/invoicehub/mappings/standardxlsx/asu-online-2026-10.xlsx");
        try (InputStream csv = SampleFiles.open("asu-online-2026-10.csv");
             OutputStream out = Files.newOutputStream(target)) {
            write(csv, out);
        }
    }

    static void write(InputStream csv, OutputStream out) throws IOException {
        List<CSVRecord> records = new ArrayList<>();
        try (var parser = CSVFormat.RFC4180.parse(new java.io.InputStreamReader(csv, StandardCharsets.UTF_8))) {
            parser.forEach(records::add);
        }
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            XSSFSheet sheet = workbook.createSheet("asu-online-2026-10");
            CellStyle iso = dateStyle(workbook, "yyyy-mm-dd");
            CellStyle european = dateStyle(workbook, "dd/mm/yyyy");
            CellStyle spelled = dateStyle(workbook, "d mmm yyyy");
            CellStyle money = workbook.createCellStyle();
            money.setDataFormat(workbook.createDataFormat().getFormat("#,##0.00"));

            sheet.createRow(0).createCell(0).setCellValue("ASU Online: charges for October 2026");
            sheet.addMergedRegion(new CellRangeAddress(0, 0, 0, 9));
            Row header = sheet.createRow(1);
            CSVRecord names = records.get(0);
            for (int column = 0; column < names.size(); column++) {
                header.createCell(column).setCellValue(names.get(column));
            }
            sheet.addMergedRegion(new CellRangeAddress(1, 1, 8, 9)); // "description" spans I and J
            for (int i = 1; i < records.size(); i++) {
                CSVRecord record = records.get(i);
                Row row = sheet.createRow(i + 1);
                for (int column = 0; column < record.size(); column++) {
                    String text = record.get(column);
                    if (text.isEmpty()) {
                        continue;
                    }
                    Cell cell = row.createCell(column);
                    LocalDate date = isoDate(text);
                    if (date != null) {
                        cell.setCellValue(date);
                        cell.setCellStyle(i % 3 == 0 ? european : i % 3 == 1 ? spelled : iso);
                    } else if (NUMBER.matcher(text).matches()) {
                        if (column == 5 && i % 10 == 3) {
                            // an amount computed in the sheet: its cached result is what the hub reads
                            cell.setCellFormula(new BigDecimal(text).multiply(BigDecimal.TEN).toPlainString() + "/10");
                            workbook.getCreationHelper().createFormulaEvaluator().evaluateFormulaCell(cell);
                        } else {
                            cell.setCellValue(Double.parseDouble(text));
                        }
                        if (column == 5) {
                            cell.setCellStyle(money);
                        }
                    } else {
                        cell.setCellValue(text);
                    }
                }
                if (i == 100) {
                    row.setZeroHeight(true); // hidden: still a charge the partner sent
                }
            }
            workbook.write(out);
        }
    }

    private static CellStyle dateStyle(XSSFWorkbook workbook, String format) {
        CellStyle style = workbook.createCellStyle();
        style.setDataFormat(workbook.createDataFormat().getFormat(format));
        return style;
    }

    private static LocalDate isoDate(String text) {
        if (!text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null; // 2026-10-32 stays text, as LibreOffice leaves it
        }
    }
}
