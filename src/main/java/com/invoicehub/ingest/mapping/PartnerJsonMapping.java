package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A partner's own JSON shape, declared as data (a YAML file under {@code mappings/json/}, no Java): where the items
 * are in a body, and for each canonical field the JSON pointer that holds it and how to convert it (minor units,
 * epoch seconds, a date pattern, a table of values, a case). Checked whole when loaded; a file that does not hold is
 * refused with its reason ({@link MappingFileRefused}) and the hub keeps running without it.
 *
 * <p>An item's raw text is the item as JSON (re-serialized from the body; the body itself is archived as sent), so a
 * replay reads it again with the mapping as it is then. A value a conversion cannot take rejects only its item, with
 * the field and the pointer named.
 */
public final class PartnerJsonMapping implements PartnerMapping {

    /** The canonical fields a mapping fills, in the order of {@link RawLineItem}. */
    public enum Field {
        externalId, customerId, customerUserId, userName, expenseType, amount, currency, serviceDate, description;

        static final Set<Field> REQUIRED = Set.of(externalId, customerId, customerUserId, expenseType, amount,
                currency, serviceDate);
    }

    /** How a value is turned into the canonical text. */
    public enum Conversion {
        /** As written: a string as is, a number's exact decimal. */
        TEXT,
        LOWER_CASE,
        UPPER_CASE,
        /** A whole number of the currency's minor units (cents): 125000 USD is 1250.00. Amount only. */
        MINOR_UNITS,
        /** Seconds since 1970-01-01 UTC, to the day in the mapping's zone (UTC unless {@code zone} is given). */
        EPOCH_SECONDS,
        EPOCH_MILLIS,
        /** A date in the {@code pattern} given (java.time patterns, e.g. dd/MM/yyyy). */
        DATE;

        static Conversion named(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** One field: where it is (or a constant), how it converts, and an optional table of values. */
    public record FieldRule(JsonPointer pointer, String constant, Conversion conversion, DateTimeFormatter pattern,
                            ZoneId zone, Map<String, String> values) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    /** Numbers kept exactly as written: 1234.50 stays 1234.50 (no double, no trailing zeros stripped). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final String name;
    private final JsonPointer items;
    private final Map<Field, FieldRule> fields;

    private PartnerJsonMapping(String name, JsonPointer items, Map<Field, FieldRule> fields) {
        this.name = name;
        this.items = items;
        this.fields = fields;
    }

    /** Reads and checks a mapping file; {@code expectedName} is its file name without {@code .yaml}. */
    public static PartnerJsonMapping load(String expectedName, String yamlText) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        } catch (RuntimeException e) {
            throw new MappingFileRefused("is not YAML: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new MappingFileRefused("must be a YAML map with name, items (optional) and fields");
        }
        for (Object key : top.keySet()) {
            if (!Set.of("name", "items", "fields").contains(String.valueOf(key))) {
                throw new MappingFileRefused("has an unknown key '" + key + "' (allowed: name, items, fields)");
            }
        }
        String name = String.valueOf(top.get("name"));
        if (!NAME.matcher(name).matches()) {
            throw new MappingFileRefused("name '" + name + "' must be 2-63 of a-z, 0-9 and '-'");
        }
        if (!name.equals(expectedName)) {
            throw new MappingFileRefused("name '" + name + "' must be the file's name, " + expectedName);
        }
        JsonPointer items = top.get("items") == null ? JsonPointer.empty() : pointer("items", top.get("items"));
        if (!(top.get("fields") instanceof Map<?, ?> declared)) {
            throw new MappingFileRefused("fields: must map canonical fields to a JSON pointer or {pointer, convert, "
                    + "values, pattern, zone} or {constant}");
        }
        Map<Field, FieldRule> fields = new EnumMap<>(Field.class);
        for (Map.Entry<?, ?> entry : declared.entrySet()) {
            Field field;
            try {
                field = Field.valueOf(String.valueOf(entry.getKey()));
            } catch (IllegalArgumentException e) {
                throw new MappingFileRefused("fields: '" + entry.getKey() + "' is not a canonical field (one of "
                        + List.of(Field.values()) + ")");
            }
            fields.put(field, rule(field, entry.getValue()));
        }
        List<Field> missing = java.util.Arrays.stream(Field.values())
                .filter(field -> Field.REQUIRED.contains(field) && !fields.containsKey(field)).toList();
        if (!missing.isEmpty()) {
            throw new MappingFileRefused("fields: " + missing.stream().map(Field::name)
                    .collect(java.util.stream.Collectors.joining(", ")) + (missing.size() == 1 ? " is" : " are")
                    + " required");
        }
        return new PartnerJsonMapping(name, items, fields);
    }

    private static FieldRule rule(Field field, Object declared) {
        if (declared instanceof String pointer) {
            return new FieldRule(pointer(field.name(), pointer), null, Conversion.TEXT, null, ZoneOffset.UTC, Map.of());
        }
        if (!(declared instanceof Map<?, ?> spec)) {
            throw new MappingFileRefused("fields." + field + ": must be a JSON pointer (\"/a/b\") or a map");
        }
        for (Object key : spec.keySet()) {
            if (!Set.of("pointer", "constant", "convert", "values", "pattern", "zone").contains(String.valueOf(key))) {
                throw new MappingFileRefused("fields." + field + ": unknown key '" + key
                        + "' (allowed: pointer, constant, convert, values, pattern, zone)");
            }
        }
        if ((spec.get("pointer") == null) == (spec.get("constant") == null)) {
            throw new MappingFileRefused("fields." + field + ": give exactly one of pointer and constant");
        }
        if (spec.get("constant") != null) {
            return new FieldRule(null, String.valueOf(spec.get("constant")), Conversion.TEXT, null, ZoneOffset.UTC,
                    Map.of());
        }
        Conversion conversion;
        try {
            conversion = spec.get("convert") == null ? Conversion.TEXT : Conversion.named(String.valueOf(
                    spec.get("convert")));
        } catch (IllegalArgumentException e) {
            throw new MappingFileRefused("fields." + field + ": convert '" + spec.get("convert") + "' is not one of "
                    + "text, lower-case, upper-case, minor-units, epoch-seconds, epoch-millis, date");
        }
        if (conversion == Conversion.MINOR_UNITS && field != Field.amount) {
            throw new MappingFileRefused("fields." + field + ": minor-units converts an amount only");
        }
        boolean dated = conversion == Conversion.EPOCH_SECONDS || conversion == Conversion.EPOCH_MILLIS
                || conversion == Conversion.DATE;
        if (dated && field != Field.serviceDate) {
            throw new MappingFileRefused("fields." + field + ": " + conversion + " converts the serviceDate only");
        }
        DateTimeFormatter pattern = null;
        if (conversion == Conversion.DATE) {
            if (spec.get("pattern") == null) {
                throw new MappingFileRefused("fields." + field + ": convert date needs a pattern, e.g. dd/MM/yyyy");
            }
            try {
                pattern = DateTimeFormatter.ofPattern(String.valueOf(spec.get("pattern")), Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new MappingFileRefused("fields." + field + ": pattern '" + spec.get("pattern")
                        + "' is not a date pattern: " + e.getMessage());
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        if (spec.get("zone") != null) {
            try {
                zone = ZoneId.of(String.valueOf(spec.get("zone")));
            } catch (DateTimeException e) {
                throw new MappingFileRefused("fields." + field + ": zone '" + spec.get("zone")
                        + "' is not a time zone (e.g. America/New_York)");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (spec.get("values") != null) {
            if (!(spec.get("values") instanceof Map<?, ?> table)) {
                throw new MappingFileRefused("fields." + field + ": values must map the partner's values to the hub's");
            }
            table.forEach((from, to) -> values.put(String.valueOf(from), String.valueOf(to)));
        }
        return new FieldRule(pointer(field.name(), spec.get("pointer")), null, conversion, pattern, zone,
                Map.copyOf(values));
    }

    private static JsonPointer pointer(String where, Object text) {
        String value = String.valueOf(text);
        try {
            return JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new MappingFileRefused(where + ": '" + value + "' is not a JSON pointer (RFC 6901, e.g. /price/cents)");
        }
    }

    @Override
    public String name() {
        return name;
    }

    public Map<Field, FieldRule> fields() {
        return fields;
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        String body = JsonDocuments.read(file, limits);
        JsonNode at = JSON.readTree(body).at(items);
        if (at.isMissingNode()) {
            throw new FileRefusedException("the body has nothing at " + items + ", where mapping " + name
                    + " expects its items");
        }
        List<SourceRow> rows = new ArrayList<>();
        if (at.isArray()) {
            int index = 0;
            for (JsonNode item : at) {
                rows.add(row(++index, item, limits));
            }
        } else {
            rows.add(row(1, at, limits));
        }
        return JsonDocuments.rows(rows);
    }

    private SourceRow row(int rowNumber, JsonNode item, ReadLimits limits) {
        return JsonDocuments.item(rowNumber, item.toString(), limits, raw -> read(rowNumber, raw, item));
    }

    @Override
    public SourceRow reread(int rowNumber, String raw) {
        JsonNode item;
        try {
            item = JSON.readTree(raw);
        } catch (IOException e) {
            return SourceRow.unparseable(rowNumber, raw, "item " + rowNumber + " is not JSON: " + e.getMessage());
        }
        return read(rowNumber, raw, item);
    }

    private SourceRow read(int rowNumber, String raw, JsonNode item) {
        if (item == null || !item.isObject()) {
            return SourceRow.unparseable(rowNumber, raw, "item " + rowNumber + " is not a JSON object");
        }
        Map<Field, String> text = new EnumMap<>(Field.class);
        String externalId = plain(fields.get(Field.externalId), item);
        // The currency first: minor units are scaled by it.
        for (Field field : List.of(Field.currency, Field.externalId, Field.customerId, Field.customerUserId,
                Field.userName, Field.expenseType, Field.amount, Field.serviceDate, Field.description)) {
            FieldRule rule = fields.get(field);
            if (rule == null) {
                continue;
            }
            try {
                text.put(field, convert(field, rule, item, text.get(Field.currency)));
            } catch (Unconvertible e) {
                return SourceRow.rejected(rowNumber, raw, externalId, new Rejection(e.reason, field + " at "
                        + rule.pointer() + ": " + e.getMessage(), field.name()));
            }
        }
        return SourceRow.parsed(rowNumber, raw, new RawLineItem(text.get(Field.externalId),
                text.get(Field.customerId), text.get(Field.customerUserId), text.get(Field.userName),
                text.get(Field.expenseType), text.get(Field.amount), text.get(Field.currency),
                text.get(Field.serviceDate), text.get(Field.description)));
    }

    private static String plain(FieldRule rule, JsonNode item) {
        if (rule.constant() != null) {
            return rule.constant();
        }
        JsonNode value = item.at(rule.pointer());
        return value.isMissingNode() || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    private static String convert(Field field, FieldRule rule, JsonNode item, String currency) {
        if (rule.constant() != null) {
            return rule.constant();
        }
        JsonNode value = item.at(rule.pointer());
        if (value.isMissingNode() || value.isNull()) {
            return null; // the rules say MISSING_FIELD, naming the field
        }
        if (!value.isValueNode()) {
            throw new Unconvertible(ReasonCode.PARSE_ERROR, "is " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not a value");
        }
        String converted = switch (rule.conversion()) {
            case TEXT -> value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
            case LOWER_CASE -> value.asText().toLowerCase(Locale.ROOT);
            case UPPER_CASE -> value.asText().toUpperCase(Locale.ROOT);
            case MINOR_UNITS -> minorUnits(value, currency);
            case EPOCH_SECONDS -> day(value, rule.zone(), false);
            case EPOCH_MILLIS -> day(value, rule.zone(), true);
            case DATE -> patterned(value.asText(), rule.pattern());
        };
        return rule.values().isEmpty() ? converted : rule.values().getOrDefault(converted, converted);
    }

    private static String minorUnits(JsonNode value, String currency) {
        BigInteger units;
        try {
            units = value.isIntegralNumber() ? value.bigIntegerValue() : new BigInteger(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new Unconvertible(ReasonCode.INVALID_AMOUNT, "'" + value.asText()
                    + "' is not a whole number of minor units (e.g. 125000 for 1250.00)");
        }
        int digits;
        try {
            digits = Currency.getInstance(currency == null ? "" : currency.trim()).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            throw new Unconvertible(ReasonCode.INVALID_CURRENCY, "minor units need a known currency, not '"
                    + currency + "'");
        }
        return new BigDecimal(units, Math.max(digits, 0)).toPlainString();
    }

    private static String day(JsonNode value, ZoneId zone, boolean millis) {
        long epoch;
        try {
            epoch = value.isIntegralNumber() ? value.longValue() : Long.parseLong(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new Unconvertible(ReasonCode.INVALID_DATE, "'" + value.asText() + "' is not a whole number of "
                    + (millis ? "milliseconds" : "seconds") + " since 1970-01-01");
        }
        try {
            Instant instant = millis ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
            return LocalDate.ofInstant(instant, zone).toString();
        } catch (DateTimeException | ArithmeticException e) {
            throw new Unconvertible(ReasonCode.INVALID_DATE, epoch + " is out of the range of dates");
        }
    }

    private static String patterned(String text, DateTimeFormatter pattern) {
        try {
            return LocalDate.parse(text.trim(), pattern).toString();
        } catch (DateTimeException e) {
            throw new Unconvertible(ReasonCode.INVALID_DATE, "'" + text + "' is not a date in the mapping's pattern");
        }
    }

    /** A value the field's conversion cannot take: rejects its item. */
    private static final class Unconvertible extends RuntimeException {

        private final ReasonCode reason;

        Unconvertible(ReasonCode reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
