package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Splits one CSV record (RFC 4180 quoting, any separator) into its fields with Commons CSV. */
public final class CsvFields {

    private final CSVFormat format;

    public CsvFields(char separator) {
        this.format = CSVFormat.RFC4180.builder().setDelimiter(separator).setQuote('"').get();
    }

    public List<String> split(String record) throws IOException {
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
