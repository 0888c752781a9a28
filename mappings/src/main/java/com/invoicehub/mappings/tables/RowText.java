package com.invoicehub.mappings.tables;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The kept text of one table row (a spreadsheet or document row has no text of its own): one JSON object, the
 * row's non-empty cells under their column's header as the file names it, each typed so a replay reads exactly the
 * item the first read made.
 * <pre>{"cells":{"external_id":"ASU-1","amount":39.59,"service_date":{"date":"2026-10-14"}}}</pre>
 * A text cell is a JSON string, a number a JSON number (its exact decimal), a boolean a JSON boolean; a date cell
 * {@code {"date":"2026-10-14"}} (or {@code "2026-10-14T13:30"} with a time), an error {@code {"error":"#N/A"}}, a formula
 * saved without its result {@code {"uncalculatedFormula":true}}, an unreadable cell {@code {"unreadable":"why"}}. A
 * column without a header is named by its letter ({@code "column K"}). A row hidden in the spreadsheet carries
 * {@code "hidden":true}: it is read like any other (see docs/ingestion.md).
 */
public final class RowText {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** A row read back from its text. */
    public record Decoded(boolean hidden, Map<String, CellValue> cells) {
    }

    private RowText() {
    }

    public static String encode(boolean hidden, Map<String, CellValue> cells) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            if (hidden) {
                json.writeBooleanField("hidden", true);
            }
            json.writeObjectFieldStart("cells");
            for (Map.Entry<String, CellValue> cell : cells.entrySet()) {
                json.writeFieldName(cell.getKey());
                write(json, cell.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, CellValue value) throws IOException {
        if (value instanceof CellValue.Text text) {
            json.writeString(text.value());
        } else if (value instanceof CellValue.Number number) {
            json.writeNumber(number.value());
        } else if (value instanceof CellValue.Bool bool) {
            json.writeBoolean(bool.value());
        } else if (value instanceof CellValue.DateCell date) {
            tagged(json, "date", date.iso());
        } else if (value instanceof CellValue.ErrorCell error) {
            tagged(json, "error", error.code());
        } else if (value instanceof CellValue.Unreadable unreadable) {
            tagged(json, "unreadable", unreadable.why());
        } else {
            json.writeStartObject();
            json.writeBooleanField("uncalculatedFormula", true);
            json.writeEndObject();
        }
    }

    private static void tagged(JsonGenerator json, String tag, String value) throws IOException {
        json.writeStartObject();
        json.writeStringField(tag, value);
        json.writeEndObject();
    }

    /** The row a kept text describes; IllegalArgumentException saying why when it is not such a text. */
    public static Decoded decode(String raw) {
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the kept row is not the hub's JSON form of a table row: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("cells").isObject()) {
            throw new IllegalArgumentException("the kept row is not the hub's JSON form of a table row "
                    + "(an object with \"cells\")");
        }
        Map<String, CellValue> cells = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("cells").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> cell = it.next();
            cells.put(cell.getKey(), cell(cell.getKey(), cell.getValue()));
        }
        return new Decoded(root.path("hidden").asBoolean(false), cells);
    }

    private static CellValue cell(String column, JsonNode node) {
        if (node.isTextual()) {
            return new CellValue.Text(node.textValue());
        }
        if (node.isNumber()) {
            return new CellValue.Number(node.isBigDecimal() ? node.decimalValue() : new BigDecimal(node.asText()));
        }
        if (node.isBoolean()) {
            return new CellValue.Bool(node.booleanValue());
        }
        if (node.isObject() && node.has("date")) {
            String iso = node.get("date").asText();
            try {
                return new CellValue.DateCell(iso.length() == 10 ? LocalDate.parse(iso).atStartOfDay()
                        : LocalDateTime.parse(iso));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("column '" + column + "': '" + iso + "' is not an ISO date");
            }
        }
        if (node.isObject() && node.has("error")) {
            return new CellValue.ErrorCell(node.get("error").asText());
        }
        if (node.isObject() && node.has("unreadable")) {
            return new CellValue.Unreadable(node.get("unreadable").asText());
        }
        if (node.isObject() && node.path("uncalculatedFormula").asBoolean(false)) {
            return new CellValue.UncalculatedFormula();
        }
        throw new IllegalArgumentException("column '" + column + "' holds " + node + ", not a cell of the hub's form");
    }
}
