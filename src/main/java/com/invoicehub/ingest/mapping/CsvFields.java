package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Splits one CSV record (RFC 4180 quoting, any separator) into its fields. A well-formed record (every quote
 * opening a field, doubled inside it, closing it before a separator or the end) is split here in one pass; anything
 * else goes to Commons CSV, which decides it exactly as before. A parser per record from Commons CSV costs more than
 * the rest of reading a row, and nearly every row is well formed; {@code CsvFieldsTest} holds the two to the same
 * answers.
 */
public final class CsvFields {

    private static final char QUOTE = '"';

    private final char separator;
    private final CSVFormat format;

    public CsvFields(char separator) {
        this.separator = separator;
        this.format = CSVFormat.RFC4180.builder().setDelimiter(separator).setQuote(QUOTE).get();
    }

    public List<String> split(String record) throws IOException {
        List<String> fields = wellFormed(record);
        return fields != null ? fields : splitWithCommonsCsv(record);
    }

    /** The fields of a well-formed record, or null when the record needs Commons CSV's judgement. */
    List<String> wellFormed(String record) {
        if (record.isEmpty()) {
            return null;
        }
        List<String> fields = new ArrayList<>(12);
        int at = 0;
        int length = record.length();
        while (true) {
            if (at < length && record.charAt(at) == QUOTE) {
                StringBuilder field = new StringBuilder();
                at++;
                while (true) {
                    if (at >= length) {
                        return null; // never closed
                    }
                    char c = record.charAt(at);
                    if (c == QUOTE) {
                        if (at + 1 < length && record.charAt(at + 1) == QUOTE) {
                            field.append(QUOTE);
                            at += 2;
                            continue;
                        }
                        at++;
                        break;
                    }
                    field.append(c);
                    at++;
                }
                fields.add(field.toString());
                if (at == length) {
                    return fields;
                }
                if (record.charAt(at) != separator) {
                    return null; // something between the closing quote and the separator
                }
                at++;
            } else {
                int end = at;
                while (end < length && record.charAt(end) != separator) {
                    if (record.charAt(end) == QUOTE) {
                        return null; // a quote inside an unquoted field
                    }
                    end++;
                }
                fields.add(record.substring(at, end));
                if (end == length) {
                    return fields;
                }
                at = end + 1;
            }
        }
    }

    List<String> splitWithCommonsCsv(String record) throws IOException {
        try (CSVParser parser = CSVParser.parse(record, format)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                throw new IOException("expected one record, found " + records.size());
            }
            return records.get(0).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
