package com.invoicehub.mappings.tables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.OverlongInput;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.ReadLimits;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;

/**
 * An XLSX layout: one sheet (the first visible one, or the one the layout names) with a header row holding the
 * layout's columns; rows above it (a title, a letterhead) are not rows. Each row below it is a row, numbered as the
 * sheet numbers it, kept as its typed cells' JSON ({@link RowText}) and turned into the item by the {@link TableLayout}.
 * Streamed (see {@link XlsxWorkbook}); rows of a single empty cell are skipped, hidden rows are read like the others
 * (a hidden row still holds money the partner sent; its kept text says it was hidden).
 * <p>The whole sheet is read once before anything is applied ({@link #refusal}), so a workbook that turns out to be
 * unreadable part-way (a zip bomb, malformed XML, rows out of order) is refused whole, never half applied.
 */
public abstract class XlsxMapping implements PartnerMapping {

    /** How far down the sheet the header row may stand (below a title or a letterhead). */
    static final int HEADER_SEARCH_ROWS = 50;

    private final TableLayout layout;
    private final String sheetName;

    /** {@code sheetName} null: the workbook's first visible sheet. */
    protected XlsxMapping(TableLayout layout, String sheetName) {
        this.layout = layout;
        this.sheetName = sheetName;
    }

    @Override
    public Optional<String> refusal(InputStream file, ReadLimits limits) throws IOException {
        try (RowReader rows = open(file, limits)) {
            while (rows.next() != null) {
                // every row read: what matters is that the whole sheet can be
            }
        } catch (FileRefusedException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        XlsxWorkbook workbook = XlsxWorkbook.open(file, limits);
        SheetRows rows = null;
        try {
            XlsxWorkbook.Sheet sheet = workbook.sheet(sheetName);
            rows = workbook.rows(sheet);
            Map<Integer, String> keys = header(sheet.name(), rows);
            return reader(workbook, rows, keys, limits);
        } catch (IOException | RuntimeException e) {
            if (rows != null) {
                rows.close();
            }
            workbook.close();
            throw e;
        }
    }

    private Map<Integer, String> header(String sheet, SheetRows rows) {
        for (int seen = 0; seen < HEADER_SEARCH_ROWS; seen++) {
            SheetRows.Row row = rows.next();
            if (row == null) {
                break;
            }
            Map<Integer, String> texts = new TreeMap<>();
            row.cells().forEach((column, cell) -> texts.put(column, headerText(cell)));
            try {
                Optional<Map<Integer, String>> keys = layout.keys(texts);
                if (keys.isPresent()) {
                    return keys.get();
                }
            } catch (IllegalArgumentException e) {
                throw new FileRefusedException("sheet '" + sheet + "', row " + row.number() + ": " + e.getMessage());
            }
        }
        throw new FileRefusedException("sheet '" + sheet + "' has no header row with the columns " + layout.headers()
                + " (of the " + name() + " layout) in its first " + HEADER_SEARCH_ROWS + " rows");
    }

    private static String headerText(CellValue cell) {
        if (cell instanceof CellValue.Text text) {
            return text.value();
        }
        if (cell instanceof CellValue.Number number) {
            return number.value().toPlainString();
        }
        if (cell instanceof CellValue.DateCell date) {
            return date.iso();
        }
        return "";
    }

    private RowReader reader(XlsxWorkbook workbook, SheetRows rows, Map<Integer, String> keys, ReadLimits limits) {
        return new RowReader() {
            @Override
            public SourceRow next() {
                SheetRows.Row row = rows.next();
                if (row == null) {
                    return null;
                }
                Map<String, CellValue> cells = TableLayout.byKey(keys, row.cells());
                String raw = RowText.encode(row.hidden(), cells);
                long rawBytes = BoundedText.utf8Bytes(raw);
                if (row.cut() || rawBytes > limits.maxLineBytes()) {
                    return OverlongInput.row("row", row.number(), prefix(raw, limits.keptBytes()),
                            Math.max(rawBytes, row.contentBytes()), limits);
                }
                return layout.toRow(row.number(), raw, cells);
            }

            @Override
            public void close() throws IOException {
                try {
                    rows.close();
                } finally {
                    workbook.close();
                }
            }
        };
    }

    /** The longest start of {@code text} that fits {@code bytes} bytes of UTF-8, never splitting a character. */
    static String prefix(String text, int bytes) {
        int end = 0;
        int used = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > bytes) {
                break;
            }
            used += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    @Override
    public SourceRow reread(int rowNumber, String raw) {
        RowText.Decoded row;
        try {
            row = RowText.decode(raw);
        } catch (IllegalArgumentException e) {
            return SourceRow.unparseable(rowNumber, raw, "row " + rowNumber + " cannot be read again: "
                    + e.getMessage());
        }
        return layout.toRow(rowNumber, raw, row.cells());
    }
}
