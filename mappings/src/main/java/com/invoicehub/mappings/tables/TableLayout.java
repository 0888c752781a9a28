package com.invoicehub.mappings.tables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.invoicehub.ingest.mapping.RawLineItem;
import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.ingest.mapping.Rejection;
import com.invoicehub.ingest.mapping.SourceRow;

/**
 * A table layout: which header names which canonical field, and how the layout writes an amount, a date or an expense
 * type as text. It finds its header among a table's rows (the columns may stand in any order, with others beside them,
 * found by each cell's own column so a merged header cell shifts nothing) and turns one row's typed cells into the
 * canonical item. A cell of the wrong kind rejects its row alone, with a reason naming the column.
 */
public final class TableLayout {

    /** What a column holds, so a cell of another type can be told apart from a value. */
    public enum Kind { TEXT, AMOUNT, DATE }

    /** A layout column: its header (compared ignoring case and repeated spaces), the canonical field, its kind. */
    public record Column(String header, String field, Kind kind) {
    }

    /** A field's canonical text, or why the cell cannot be that field. */
    public record Converted(String value, Rejection rejection) {

        public static Converted of(String value) {
            return new Converted(value, null);
        }

        public static Converted rejected(ReasonCode code, String message, String field) {
            return new Converted(null, new Rejection(code, message, field));
        }
    }

    /** How a layout writes a field as text; the defaults are the canonical forms, passed on for the rules to judge. */
    public interface TextConventions {

        default Converted text(Column column, String text) {
            return Converted.of(text);
        }
    }

    private static final List<String> FIELDS = List.of("externalId", "customerId", "customerUserId", "userName",
            "expenseType", "amount", "currency", "serviceDate", "description");

    private final List<Column> columns;
    private final TextConventions conventions;

    public TableLayout(List<Column> columns, TextConventions conventions) {
        for (Column column : columns) {
            if (!FIELDS.contains(column.field())) {
                throw new IllegalArgumentException(column.field() + " is not a canonical field; known: " + FIELDS);
            }
        }
        this.columns = List.copyOf(columns);
        this.conventions = conventions;
    }

    public List<String> headers() {
        return columns.stream().map(Column::header).toList();
    }

    /** How a header is compared: case and repeated or surrounding white space do not matter. */
    public static String normalized(String header) {
        return header == null ? "" : header.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /**
     * The keys a row's cells are kept under, by column number, if {@code header} (texts by column number) is this
     * layout's header: every layout column once. A column without a header is named by its letter; a name used twice
     * outside the layout gets its letter too. Empty when the row is not the header; a reason when it is ambiguous.
     */
    public Optional<Map<Integer, String>> keys(Map<Integer, String> header) {
        Map<String, Integer> seen = new HashMap<>();
        for (Map.Entry<Integer, String> cell : header.entrySet()) {
            seen.merge(normalized(cell.getValue()), 1, Integer::sum);
        }
        for (Column column : columns) {
            Integer count = seen.get(normalized(column.header()));
            if (count == null) {
                return Optional.empty();
            }
            if (count > 1) {
                throw new IllegalArgumentException("the header names '" + column.header() + "' " + count
                        + " times, so the hub cannot tell which column is the " + column.field());
            }
        }
        Map<Integer, String> keys = new TreeMap<>();
        for (Map.Entry<Integer, String> cell : header.entrySet()) {
            String name = cell.getValue() == null ? "" : cell.getValue().strip();
            if (!name.isEmpty() && seen.get(normalized(name)) == 1) {
                keys.put(cell.getKey(), name);
            } else if (!name.isEmpty()) {
                keys.put(cell.getKey(), name + " (" + columnName(cell.getKey()) + ")");
            }
        }
        return Optional.of(keys);
    }

    /** {@code column A}, {@code column AB}: how the hub names a column without a header (numbers from 0). */
    public static String columnName(int column) {
        return "column " + letters(column);
    }

    static String letters(int column) {
        StringBuilder letters = new StringBuilder();
        for (int n = column + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return letters.toString();
    }

    /** The row's cells by their key, in column order, for {@link RowText}. */
    public static Map<String, CellValue> byKey(Map<Integer, String> keys, Map<Integer, CellValue> cells) {
        Map<String, CellValue> byKey = new LinkedHashMap<>();
        for (Map.Entry<Integer, CellValue> cell : cells.entrySet()) {
            byKey.put(keys.getOrDefault(cell.getKey(), columnName(cell.getKey())), cell.getValue());
        }
        return byKey;
    }

    /** One field of a row: its canonical text (null when the row has no such cell), or why its cell is not one. */
    public Converted field(String field, Map<String, CellValue> cellsByKey) {
        for (Column column : columns) {
            if (column.field().equals(field)) {
                for (Map.Entry<String, CellValue> cell : cellsByKey.entrySet()) {
                    if (normalized(cell.getKey()).equals(normalized(column.header()))) {
                        return convert(column, cell.getValue());
                    }
                }
                return Converted.of(null);
            }
        }
        throw new IllegalArgumentException("the layout has no column for " + field);
    }

    /** What one row means: the canonical item, or the first cell that cannot be its field. */
    public SourceRow toRow(int rowNumber, String raw, Map<String, CellValue> cellsByKey) {
        Map<String, CellValue> cells = new HashMap<>();
        cellsByKey.forEach((key, value) -> cells.put(normalized(key), value));
        String externalId = null;
        Map<String, String> values = new HashMap<>();
        List<Rejection> rejections = new ArrayList<>();
        for (Column column : columns) {
            CellValue cell = cells.get(normalized(column.header()));
            Converted converted = cell == null ? Converted.of(null) : convert(column, cell);
            if (converted.rejection() != null) {
                rejections.add(converted.rejection());
            } else {
                values.put(column.field(), converted.value());
            }
            if (column.field().equals("externalId")) {
                externalId = converted.value();
            }
        }
        if (!rejections.isEmpty()) {
            return SourceRow.rejected(rowNumber, raw, externalId, rejections.get(0));
        }
        return SourceRow.parsed(rowNumber, raw, new RawLineItem(values.get("externalId"), values.get("customerId"),
                values.get("customerUserId"), values.get("userName"), values.get("expenseType"), values.get("amount"),
                values.get("currency"), values.get("serviceDate"), values.get("description")));
    }

    private Converted convert(Column column, CellValue cell) {
        if (cell instanceof CellValue.Text text) {
            return conventions.text(column, text.value());
        }
        if (cell instanceof CellValue.Number number) {
            if (column.kind() == Kind.DATE) {
                return wrongKind(column, "the number " + number.value().toPlainString()
                        + ", not a date (a date cell, or text as the layout writes dates)");
            }
            return Converted.of(number.value().toPlainString());
        }
        if (cell instanceof CellValue.DateCell date) {
            return switch (column.kind()) {
                case DATE -> Converted.of(date.value().toLocalDate().toString());
                case AMOUNT -> wrongKind(column, "the date " + date.iso() + ", not an amount");
                case TEXT -> Converted.of(date.iso());
            };
        }
        if (cell instanceof CellValue.Bool bool) {
            return column.kind() == Kind.TEXT ? Converted.of(bool.value() ? "TRUE" : "FALSE")
                    : wrongKind(column, "the boolean " + (bool.value() ? "TRUE" : "FALSE"));
        }
        if (cell instanceof CellValue.ErrorCell error) {
            return wrongKind(column, "the error " + error.code());
        }
        if (cell instanceof CellValue.UncalculatedFormula) {
            return wrongKind(column, "a formula saved without its result (the hub evaluates no formula: "
                    + "recalculate and save the workbook)");
        }
        return wrongKind(column, "a cell the hub cannot read: " + ((CellValue.Unreadable) cell).why());
    }

    private static Converted wrongKind(Column column, String what) {
        ReasonCode code = switch (column.kind()) {
            case AMOUNT -> ReasonCode.INVALID_AMOUNT;
            case DATE -> ReasonCode.INVALID_DATE;
            case TEXT -> ReasonCode.PARSE_ERROR;
        };
        return Converted.rejected(code, "column '" + column.header() + "' holds " + what, column.field());
    }
}
