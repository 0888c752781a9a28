package com.invoicehub.mappings.tables;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.TreeMap;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.ss.usermodel.DateUtil;

import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.ReadLimits;

/**
 * The rows of one sheet, pulled one at a time from its XML (StAX), so a sheet of any length costs one row of memory.
 * Each cell is placed by its own reference ({@code C12}), never by its position in the row, so a merged or missing
 * cell shifts no column. Typed as {@link CellValue}s: a shared or inline string is text; a number keeps its exact
 * decimal; a number in a date style is a date; a formula gives its cached result and is never evaluated.
 */
final class SheetRows implements Closeable {

    /** Excel's bounds: 1,048,576 rows of 16,384 columns. */
    static final int MAX_ROWS = 1 << 20;
    static final int MAX_COLUMNS = 1 << 14;

    /**
     * A row with at least one non-empty cell: its number in the sheet, whether it is hidden, its cells by column
     * (from 0), and the size of their content in UTF-8 bytes (the full size, even of a cell kept cut).
     */
    record Row(int number, boolean hidden, TreeMap<Integer, CellValue> cells, long contentBytes, boolean cut) {
    }

    private final String sheet;
    private final InputStream in;
    private final XMLStreamReader xml;
    private final CellStyles styles;
    private final SharedStringsFile strings;
    private final boolean date1904;
    private final int maxChars;
    private int lastRow;
    private boolean ended;

    SheetRows(String sheet, InputStream in, XmlReading reading, CellStyles styles, SharedStringsFile strings,
              boolean date1904, ReadLimits limits) throws XMLStreamException {
        this.sheet = sheet;
        this.in = in;
        this.xml = reading.reader(in);
        this.styles = styles;
        this.strings = strings;
        this.date1904 = date1904;
        this.maxChars = limits.maxLineBytes();
    }

    /** The next row that holds something, or null after the last. */
    Row next() {
        try {
            while (!ended && xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("row")) {
                    Row row = row();
                    if (!row.cells().isEmpty()) {
                        return row;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("sheetData")) {
                    ended = true; // what follows (merged ranges, print settings) holds no cell
                }
            }
            return null;
        } catch (XMLStreamException e) {
            String zipBomb = XlsxWorkbook.unreadable(e);
            throw new FileRefusedException(zipBomb.contains("zip bomb") ? zipBomb : "sheet '" + sheet
                    + "' is not well-formed XML" + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNumber()) + ": " + XlsxWorkbook.firstLine(String.valueOf(e.getMessage())));
        }
    }

    private Row row() throws XMLStreamException {
        String reference = xml.getAttributeValue(null, "r");
        int number;
        try {
            number = reference == null ? lastRow + 1 : Integer.parseInt(reference.strip());
        } catch (NumberFormatException e) {
            throw new FileRefusedException("sheet '" + sheet + "': row reference '" + reference
                    + "' is not a row number");
        }
        if (number <= lastRow || number > MAX_ROWS) {
            throw new FileRefusedException("sheet '" + sheet + "': row " + number + (number > MAX_ROWS
                    ? " is beyond the last row a sheet can have (" + MAX_ROWS + ")"
                    : " comes after row " + lastRow + ": the rows are out of order"));
        }
        lastRow = number;
        String hidden = xml.getAttributeValue(null, "hidden");
        TreeMap<Integer, CellValue> cells = new TreeMap<>();
        long bytes = 0;
        boolean cut = false;
        int lastColumn = -1;
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("row")) {
                break;
            }
            if (event != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("c")) {
                continue;
            }
            int column = column(xml.getAttributeValue(null, "r"), lastColumn, number);
            if (column <= lastColumn) {
                throw new FileRefusedException("sheet '" + sheet + "', row " + number + ": two cells in "
                        + TableLayout.columnName(column) + ", or cells out of order");
            }
            lastColumn = column;
            Cell cell = cell();
            if (cell.value() != null) {
                cells.put(column, cell.value());
                bytes += cell.bytes();
                cut |= cell.cut();
            }
        }
        return new Row(number, "1".equals(hidden) || "true".equalsIgnoreCase(hidden), cells, bytes, cut);
    }

    private int column(String reference, int lastColumn, int row) {
        if (reference == null) {
            return lastColumn + 1;
        }
        int column = 0;
        int i = 0;
        while (i < reference.length() && reference.charAt(i) >= 'A' && reference.charAt(i) <= 'Z' && column <= MAX_COLUMNS) {
            column = column * 26 + (reference.charAt(i) - 'A' + 1);
            i++;
        }
        if (i == 0 || column > MAX_COLUMNS) {
            throw new FileRefusedException("sheet '" + sheet + "', row " + row + ": '" + reference
                    + "' is not a cell reference like C12");
        }
        return column - 1;
    }

    private record Cell(CellValue value, long bytes, boolean cut) {
    }

    /** One {@code <c>}: its value ({@code <v>} or inline {@code <is>}), a formula ({@code <f>}) noted, not read. */
    private Cell cell() throws XMLStreamException {
        String type = xml.getAttributeValue(null, "t");
        String style = xml.getAttributeValue(null, "s");
        BoundedText value = null;
        BoundedText inline = null;
        boolean formula = false;
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("c")) {
                break;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            switch (xml.getLocalName()) {
                case "v" -> {
                    value = new BoundedText(maxChars);
                    value.addElement(xml);
                }
                case "is" -> inline = SharedStringsFile.stringItem(xml, maxChars);
                case "f" -> {
                    formula = true;
                    new BoundedText(0).addElement(xml); // the formula's text: skipped, never evaluated
                }
                default -> new BoundedText(0).addElement(xml); // extensions: skipped
            }
        }
        if ("inlineStr".equals(type)) {
            return inline == null ? new Cell(null, 0, false) : text(inline.kept(), inline.bytes(), inline.cut());
        }
        if (value == null) {
            return new Cell(formula ? new CellValue.UncalculatedFormula() : null, 0, false);
        }
        String v = value.kept();
        if (value.cut()) {
            return new Cell(new CellValue.Text(v), value.bytes(), true);
        }
        if (type == null || type.equals("n")) {
            return new Cell(number(v, style), v.length(), false);
        }
        return switch (type) {
            case "s" -> sharedString(v);
            case "str" -> text(v, value.bytes(), false);
            case "b" -> new Cell(v.strip().equals("1") || v.strip().equalsIgnoreCase("true")
                    ? new CellValue.Bool(true) : new CellValue.Bool(false), v.length(), false);
            case "e" -> new Cell(new CellValue.ErrorCell(v.strip()), v.length(), false);
            case "d" -> new Cell(isoDate(v), v.length(), false);
            default -> new Cell(new CellValue.Unreadable("a cell of unknown type '" + type + "'"), v.length(), false);
        };
    }

    private static Cell text(String text, long bytes, boolean cut) {
        return text.isEmpty() && !cut ? new Cell(null, 0, false) : new Cell(new CellValue.Text(text), bytes, cut);
    }

    private Cell sharedString(String v) {
        int position;
        try {
            position = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return new Cell(new CellValue.Unreadable("shared string number '" + v + "' is not a number"), v.length(),
                    false);
        }
        SharedStringsFile.Entry entry = strings.get(position);
        if (entry == null) {
            return new Cell(new CellValue.Unreadable("shared string " + position + " is not in the workbook (it has "
                    + strings.count() + ")"), v.length(), false);
        }
        long keptBytes = BoundedText.utf8Bytes(entry.text());
        return text(entry.text(), entry.fullBytes(), entry.fullBytes() > keptBytes);
    }

    private CellValue number(String v, String style) {
        BigDecimal exact;
        try {
            exact = new BigDecimal(v.strip());
        } catch (NumberFormatException e) {
            return new CellValue.Unreadable("'" + v + "' is stored as a number but is not one");
        }
        int styleIndex = 0;
        try {
            styleIndex = style == null ? 0 : Integer.parseInt(style.strip());
        } catch (NumberFormatException e) {
            styleIndex = -1;
        }
        if (styles.isDate(styleIndex)) {
            double serial = exact.doubleValue();
            LocalDateTime date = DateUtil.isValidExcelDate(serial)
                    ? DateUtil.getLocalDateTime(serial, date1904, true) : null;
            return date == null ? new CellValue.Unreadable("the date cell holds " + v + ", which is no date")
                    : new CellValue.DateCell(date);
        }
        return new CellValue.Number(decimal(exact));
    }

    /**
     * A number cell holds a binary double; its decimal is the one written in the file when that has at most 15
     * significant digits (all a double holds exactly), otherwise the shortest decimal that denotes the same double,
     * which is what Excel and LibreOffice show: older Excel wrote {@code 39.590000000000003} for 39.59. A double has
     * no scale, so trailing zeros are the writer's ({@code 1250.0} is 1250).
     */
    static BigDecimal decimal(BigDecimal written) {
        BigDecimal decimal = written.precision() > 15
                ? new BigDecimal(Double.toString(written.doubleValue())) : written;
        decimal = decimal.stripTrailingZeros();
        return decimal.scale() < 0 ? decimal.setScale(0) : decimal;
    }

    private static CellValue isoDate(String v) {
        String text = v.strip();
        try {
            return new CellValue.DateCell(text.length() == 10 ? LocalDate.parse(text).atStartOfDay()
                    : LocalDateTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text));
        } catch (DateTimeParseException e) {
            return new CellValue.Unreadable("'" + v + "' is stored as a date but is not an ISO 8601 date");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // closing a reader over a stream being closed below cannot lose anything
        } finally {
            in.close();
        }
    }
}
