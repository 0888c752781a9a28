package com.invoicehub.mappings.tables;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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
 * A DOCX layout: the first table of the document whose first row is the layout's header (tables before it, such as an
 * address block, and the text around it are not read). Its rows are numbered as the table numbers them, the header
 * being row 1, so an outcome's row is the table row the partner sees. Each is kept as its cells' JSON
 * ({@link RowText}, every cell text). A layout may end its table with a total row (its first cell the total label):
 * the total is not a row, and a total that differs from the rows' amounts refuses the file before anything is applied.
 */
public abstract class DocxTableMapping implements PartnerMapping {

    private final TableLayout layout;
    private final String totalLabel;
    private final String amountField;

    /** {@code totalLabel} null: the layout has no total row. */
    protected DocxTableMapping(TableLayout layout, String totalLabel) {
        this.layout = layout;
        this.totalLabel = totalLabel;
        this.amountField = "amount";
    }

    /**
     * The chosen table's rows (header excluded) with their table row numbers, its total row if any, and the sum of
     * every amount the rows hold that can be read (whatever else is wrong with their row).
     */
    private record Charges(List<SourceRow> rows, BigDecimal total, int totalRow, BigDecimal sum) {
    }

    private Charges charges(InputStream file, ReadLimits limits) throws IOException {
        List<DocxTables.Table> tables = DocxTables.read(file, limits);
        List<String> headersSeen = new ArrayList<>();
        for (DocxTables.Table table : tables) {
            if (table.rows().isEmpty()) {
                continue;
            }
            Optional<Map<Integer, String>> keys;
            try {
                keys = layout.keys(table.rows().get(0));
            } catch (IllegalArgumentException e) {
                throw new FileRefusedException("the table of charges: " + e.getMessage());
            }
            if (keys.isEmpty()) {
                headersSeen.add(String.valueOf(table.rows().get(0).values()));
                continue;
            }
            return rows(table, keys.get(), limits);
        }
        throw new FileRefusedException("the document has no table whose first row has the columns "
                + layout.headers() + " (of the " + name() + " layout); its " + tables.size() + " table(s) start with "
                + headersSeen);
    }

    private Charges rows(DocxTables.Table table, Map<Integer, String> keys, ReadLimits limits) {
        List<SourceRow> rows = new ArrayList<>();
        BigDecimal total = null;
        BigDecimal sum = BigDecimal.ZERO;
        int totalRow = 0;
        for (int index = 1; index < table.rows().size(); index++) {
            int number = index + 1;
            Map<Integer, String> texts = table.rows().get(index);
            if (texts.isEmpty()) {
                continue;
            }
            Map<Integer, CellValue> cells = new TreeMap<>();
            texts.forEach((column, text) -> cells.put(column, new CellValue.Text(text)));
            Map<String, CellValue> byKey = TableLayout.byKey(keys, cells);
            String raw = RowText.encode(false, byKey);
            if (totalRow > 0) {
                throw new FileRefusedException("table row " + number + " follows the total (row " + totalRow + ")");
            }
            BigDecimal amount = decimal(layout.field(amountField, byKey).value());
            if (isTotal(texts)) {
                totalRow = number;
                total = amount;
                if (total == null) {
                    throw new FileRefusedException("the total row (table row " + number + ") has no amount the hub "
                            + "can read: " + raw);
                }
                continue;
            }
            sum = amount == null ? sum : sum.add(amount);
            long bytes = BoundedText.utf8Bytes(raw);
            rows.add(bytes > limits.maxLineBytes()
                    ? OverlongInput.row("table row", number, XlsxMapping.prefix(raw, limits.keptBytes()), bytes, limits)
                    : layout.toRow(number, raw, byKey));
        }
        return new Charges(rows, total, totalRow, sum);
    }

    private boolean isTotal(Map<Integer, String> texts) {
        if (totalLabel == null || texts.isEmpty()) {
            return false;
        }
        String first = texts.values().iterator().next().strip().toLowerCase(Locale.ROOT);
        String label = totalLabel.toLowerCase(Locale.ROOT);
        return first.equals(label) || first.equals(label + ":");
    }

    private static BigDecimal decimal(String amount) {
        if (amount == null) {
            return null;
        }
        try {
            return new BigDecimal(amount);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Optional<String> refusal(InputStream file, ReadLimits limits) throws IOException {
        Charges charges;
        try {
            charges = charges(file, limits);
        } catch (FileRefusedException e) {
            return Optional.of(e.getMessage());
        }
        if (charges.total() == null) {
            return Optional.empty();
        }
        BigDecimal sum = charges.sum();
        if (sum.compareTo(charges.total()) != 0) {
            return Optional.of("the total row (table row " + charges.totalRow() + ") says "
                    + charges.total().toPlainString() + ", the rows' " + amountField + "s add up to "
                    + sum.toPlainString());
        }
        return Optional.empty();
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        Iterator<SourceRow> rows = charges(file, limits).rows().iterator();
        return new RowReader() {
            @Override
            public SourceRow next() {
                return rows.hasNext() ? rows.next() : null;
            }

            @Override
            public void close() {
                // read whole and bounded: nothing held open
            }
        };
    }

    @Override
    public SourceRow reread(int rowNumber, String raw) {
        RowText.Decoded row;
        try {
            row = RowText.decode(raw);
        } catch (IllegalArgumentException e) {
            return SourceRow.unparseable(rowNumber, raw, "table row " + rowNumber + " cannot be read again: "
                    + e.getMessage());
        }
        return layout.toRow(rowNumber, raw, row.cells());
    }
}
