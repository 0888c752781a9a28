package com.invoicehub.mappings.statementdocx;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTTcPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STMerge;

/**
 * How {@code brightpath-statement-2026-10.docx} was made (POI's XWPF; run {@code main} to write it again): a letter
 * from a tutoring company with an address table, a paragraph, the table of charges (an employee's name merged down
 * over his three rows, a description in two paragraphs, a few bad cells) ending in a total row spanning the first
 * six columns, then the closing paragraphs.
 */
public final class SampleStatement {

    /** The table's data rows (the header is table row 1, so these are rows 2 to 13). */
    static final List<String[]> ROWS = List.of(
            row("BPS-2026-10-001", "acme", "emp-7022", "Alan Backus", "Tuition", "3 Oct 2026", "3,371.14", "USD", "CS 210 Data Structures"),
            row("BPS-2026-10-002", "acme", "emp-7022", null, "Tutoring", "10 Oct 2026", "240.00", "USD", "Calculus I, two sessions"),
            row("BPS-2026-10-003", "acme", "emp-7022", null, "Materials", "11 Oct 2026", "87.10", "USD", "Workbook"),
            row("BPS-2026-10-004", "globex", "emp-5521", "Grace Ritchie", "Fees", "2026-10-14", "125.00", "USD", "Exam fee"),
            row("BPS-2026-10-005", "globex", "emp-5521", "Grace Ritchie", "Materials", "14 Oct 2026", "-87.10", "USD", "Workbook returned"),
            row("BPS-2026-10-006", "umbrella", "emp-1977", "Donald Lovelace", "Tuition", "15 Oct 2026", "1,200.00", "USD", "MBA Core: Finance"),
            row("BPS-2026-10-007", "acme", "emp-1042", "Ada Lovelace", "Tuition", "16 Oct 2026", "1.250,00", "USD", "MATH 101"),
            row("BPS-2026-10-008", "acme", "emp-1042", "Ada Lovelace", "Parking", "16 Oct 2026", "15.00", "USD", "Campus parking"),
            row("BPS-2026-10-009", "acme", "emp-1042", "Ada Lovelace", "Tutoring", "31 Sep 2026", "60.00", "USD", "Statistics"),
            row("BPS-2026-10-010", "acme", "emp-1042", "Ada Lovelace", "Tutoring", "20 Oct 2026", "60.00", "USD", "Statistics"),
            row("BPS-2026-10-011", "globex", "emp-5521", "Grace Ritchie", "Tutoring", "21 Oct 2026", "75.50", "USD", "Spanish B1"),
            row("BPS-2026-10-012", "acme", "emp-7022", "Alan Backus", "Fees", "22 Oct 2026", "35.00", "USD", "Library card"));

    /** The readable amounts above: 1.250,00 is not one. */
    static final String TOTAL = "5,181.64";

    private SampleStatement() {
    }

    private static String[] row(String... cells) {
        return cells;
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "mappings/src/test/resources/com/invoicehub/mappings/"
                + "statementdocx/brightpath-statement-2026-10.docx");
        try (OutputStream out = Files.newOutputStream(target)) {
            write(out);
        }
    }

    static void write(OutputStream out) throws IOException {
        try (XWPFDocument document = new XWPFDocument()) {
            XWPFTable address = document.createTable(2, 2);
            set(address.getRow(0).getCell(0), "BrightPath Tutoring");
            set(address.getRow(0).getCell(1), "Invoice Hub, Accounts Payable");
            set(address.getRow(1).getCell(0), "12 Harbour Street, Bristol");
            set(address.getRow(1).getCell(1), "Statement date: 1 Nov 2026");
            document.createParagraph().createRun().setText("Dear Accounts Payable,");
            document.createParagraph().createRun().setText("please find below the charges for October 2026. "
                    + "Reference | Customer | Amount are explained in our terms.");

            String[] header = {"Reference", "Customer", "Employee ID", "Employee", "Charge", "Date", "Amount",
                    "Currency", "Description"};
            XWPFTable charges = document.createTable(1 + ROWS.size() + 1, header.length);
            for (int column = 0; column < header.length; column++) {
                set(charges.getRow(0).getCell(column), header[column]);
            }
            for (int i = 0; i < ROWS.size(); i++) {
                XWPFTableRow row = charges.getRow(i + 1);
                String[] cells = ROWS.get(i);
                for (int column = 0; column < cells.length; column++) {
                    XWPFTableCell cell = row.getCell(column);
                    if (column == 3 && i < 3) {
                        // Alan Backus written once, merged down over his three rows
                        tcPr(cell).addNewVMerge().setVal(i == 0 ? STMerge.RESTART : STMerge.CONTINUE);
                        if (i == 0) {
                            set(cell, cells[column]);
                        }
                        continue;
                    }
                    if (column == 8 && i == 1) {
                        set(cell, "Calculus I,");
                        cell.addParagraph().createRun().setText("two sessions");
                        continue;
                    }
                    set(cell, cells[column]);
                }
            }
            // the total row: "Total" spanning six columns, then the amount under Amount
            XWPFTableRow total = charges.getRow(ROWS.size() + 1);
            for (int column = header.length - 1; column >= 1; column--) {
                if (column < 6) {
                    total.removeCell(column);
                }
            }
            tcPr(total.getCell(0)).addNewGridSpan().setVal(BigInteger.valueOf(6));
            set(total.getCell(0), "Total");
            set(total.getCell(1), TOTAL);
            set(total.getCell(2), "USD");
            document.createParagraph().createRun().setText("Payment is due within 30 days.");
            document.createParagraph().createRun().setText("Kind regards, BrightPath Tutoring");
            document.write(out);
        }
    }

    private static CTTcPr tcPr(XWPFTableCell cell) {
        return cell.getCTTc().isSetTcPr() ? cell.getCTTc().getTcPr() : cell.getCTTc().addNewTcPr();
    }

    private static void set(XWPFTableCell cell, String text) {
        if (text == null) {
            return;
        }
        cell.getParagraphs().get(0).createRun().setText(text);
    }
}
