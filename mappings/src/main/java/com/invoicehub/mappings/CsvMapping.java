package com.invoicehub.mappings;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.apache.camel.CamelContext;

import com.invoicehub.ingest.mapping.BindyBinder;
import com.invoicehub.ingest.mapping.CsvFields;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.LogicalLines;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.ReadLimits;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;

/**
 * A CSV layout with one header line: each record is tokenized by CsvFields (quotes, separators inside quotes),
 * bound to the layout's Bindy model, and turned into a row by the layout.
 */
public abstract class CsvMapping<T> implements PartnerMapping {

    private final char separator;
    private final List<String> header;
    private final BindyBinder<T> binder;
    private final CsvFields fields;

    protected CsvMapping(Class<T> model, char separator, List<String> header, CamelContext camel) {
        this.separator = separator;
        this.header = header;
        this.binder = BindyBinder.csv(model, camel);
        this.fields = new CsvFields(separator);
    }

    /** What the bound record means: the canonical item, or a rejection. */
    protected abstract SourceRow toRow(int rowNumber, String raw, T record);

    @Override
    public SourceRow reread(int row, String raw) {
        List<String> values;
        try {
            values = fields.split(raw);
        } catch (IOException e) {
            return SourceRow.unparseable(row, raw, "line " + row + " is not valid CSV: " + e.getMessage());
        }
        if (values.size() != header.size()) {
            return SourceRow.unparseable(row, raw, "line " + row + " has " + values.size()
                    + " fields, expected " + header.size());
        }
        try {
            return toRow(row, raw, binder.bind(values, row));
        } catch (Exception e) {
            return SourceRow.unparseable(row, raw, "line " + row + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        LogicalLines lines = new LogicalLines(file, '"', separator, limits);
        String first = lines.next();
        if (first == null) {
            throw new FileRefusedException("the file is empty; expected the header line " + String.join(
                    String.valueOf(separator), header));
        }
        if (lines.tooLong() != null) {
            throw new FileRefusedException(lines.tooLong().rejection().message() + "; expected the header line "
                    + String.join(String.valueOf(separator), header));
        }
        List<String> found;
        try {
            found = fields.split(first);
        } catch (IOException e) {
            throw new FileRefusedException("line 1 is not a CSV header: " + e.getMessage());
        }
        if (!found.stream().map(String::strip).toList().equals(header)) {
            throw new FileRefusedException("line 1 is not the " + name() + " header: expected "
                    + String.join(String.valueOf(separator), header) + " but found " + first);
        }
        return new RowReader() {
            @Override
            public SourceRow next() throws IOException {
                String raw = lines.next();
                while (raw != null && raw.isBlank() && lines.tooLong() == null) {
                    raw = lines.next();
                }
                if (raw == null) {
                    return null;
                }
                SourceRow tooLong = lines.tooLong();
                return tooLong != null ? tooLong : reread(lines.lineNumber(), raw);
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }
}
