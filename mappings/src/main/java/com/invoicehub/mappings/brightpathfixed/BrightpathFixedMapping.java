package com.invoicehub.mappings.brightpathfixed;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.mapping.BindyBinder;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.LogicalLines;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.RawLineItem;
import com.invoicehub.ingest.mapping.ReadLimits;
import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.ingest.mapping.Rejection;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;

/**
 * {@code brightpath-fixed}: a header line, detail lines, and a trailer whose count and signed total must agree
 * with the details, or the whole file is refused before anything is applied.
 */
@Component
public class BrightpathFixedMapping implements PartnerMapping {

    static final int LINE_LENGTH = 120;
    private static final Map<String, String> TYPE_CODES = Map.of(
            "TU", "TUITION", "MA", "MATERIALS", "TT", "TUTORING", "FE", "FEES");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);

    private final BindyBinder<BrightpathDetail> details;
    private final BindyBinder<BrightpathTrailer> trailers;

    public BrightpathFixedMapping(CamelContext camel) {
        this.details = BindyBinder.fixedLength(BrightpathDetail.class, camel);
        this.trailers = BindyBinder.fixedLength(BrightpathTrailer.class, camel);
    }

    @Override
    public String name() {
        return "brightpath-fixed";
    }

    @Override
    public Optional<String> refusal(InputStream file, ReadLimits limits) throws IOException {
        long count = 0;
        long totalCents = 0;
        String trailer = null;
        int trailerLine = 0;
        try (LogicalLines lines = new LogicalLines(file, (char) 0, limits)) {
            String line = lines.next();
            if (line == null || !line.startsWith("H")) {
                return Optional.of("line 1 is not a header (H) line");
            }
            while ((line = lines.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (trailer != null) {
                    return Optional.of("line " + lines.lineNumber() + " follows the trailer (line " + trailerLine
                            + ")");
                }
                switch (line.charAt(0)) {
                    case 'D' -> {
                        count++;
                        totalCents += signedCents(padded(line)).orElse(0L);
                    }
                    case 'T' -> {
                        trailer = line;
                        trailerLine = lines.lineNumber();
                    }
                    default -> { /* a bad line is rejected as a row, not a reason to refuse the file */ }
                }
            }
        }
        if (trailer == null) {
            return Optional.of("trailer (T) line missing: the file is incomplete (" + count
                    + " detail lines received)");
        }
        BrightpathTrailer t;
        try {
            t = trailers.bind(padded(trailer), trailerLine);
        } catch (Exception e) {
            return Optional.of("trailer on line " + trailerLine + " cannot be read: " + e.getMessage());
        }
        if (!DIGITS.matcher(t.detailCount).matches() || !DIGITS.matcher(t.totalCents).matches()
                || !("+".equals(t.sign) || "-".equals(t.sign))) {
            return Optional.of("trailer on line " + trailerLine + " is malformed: " + trailer.strip());
        }
        long expectedCount = Long.parseLong(t.detailCount);
        long expectedTotal = Long.parseLong(t.totalCents) * ("-".equals(t.sign) ? -1 : 1);
        if (expectedCount != count) {
            return Optional.of("trailer says " + expectedCount + " detail lines, the file has " + count);
        }
        if (expectedTotal != totalCents) {
            return Optional.of("trailer total " + cents(expectedTotal) + " differs from the detail lines' total "
                    + cents(totalCents));
        }
        return Optional.empty();
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        LogicalLines lines = new LogicalLines(file, (char) 0, limits);
        String header = lines.next();
        if (header == null || !header.startsWith("H")) {
            throw new FileRefusedException("line 1 is not a header (H) line");
        }
        return new RowReader() {
            @Override
            public SourceRow next() throws IOException {
                String raw;
                do {
                    raw = lines.next();
                } while (raw != null && raw.isBlank() && lines.tooLong() == null);
                if (raw == null || raw.startsWith("T") && lines.tooLong() == null) {
                    return null;
                }
                SourceRow tooLong = lines.tooLong();
                return tooLong != null ? tooLong : detail(lines.lineNumber(), raw);
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public SourceRow reread(int rowNumber, String raw) {
        return detail(rowNumber, raw);
    }

    private SourceRow detail(int row, String raw) {
        if (!raw.startsWith("D")) {
            return SourceRow.unparseable(row, raw, "line " + row + " is neither a detail (D) nor the trailer (T)");
        }
        if (raw.length() > LINE_LENGTH) {
            return SourceRow.unparseable(row, raw, "line " + row + " has " + raw.length() + " characters, at most "
                    + LINE_LENGTH + " expected");
        }
        BrightpathDetail d;
        try {
            d = details.bind(padded(raw), row);
        } catch (Exception e) {
            return SourceRow.unparseable(row, raw, "line " + row + " cannot be read: " + e.getMessage());
        }
        Optional<Long> cents = signedCents(padded(raw));
        if (cents.isEmpty()) {
            return SourceRow.rejected(row, raw, d.transactionId, new Rejection(ReasonCode.INVALID_AMOUNT, "amount '" + d.amountCents
                    + d.sign + "' (positions 76-87) is not cents followed by + or -", "amount"));
        }
        String date;
        try {
            date = LocalDate.parse(d.serviceDate, DATE).toString();
        } catch (DateTimeParseException e) {
            return SourceRow.rejected(row, raw, d.transactionId, new Rejection(ReasonCode.INVALID_DATE,
                    "service date '" + d.serviceDate + "' (positions 68-75) is not a date yyyyMMdd", "serviceDate"));
        }
        return SourceRow.parsed(row, raw, new RawLineItem(d.transactionId, d.customerId, d.employeeId,
                titleCase(d.employeeName), TYPE_CODES.getOrDefault(d.typeCode, d.typeCode),
                BigDecimal.valueOf(cents.get(), 2).toPlainString(), d.currency, date, d.description));
    }

    private static Optional<Long> signedCents(String line) {
        String digits = line.substring(75, 86);
        char sign = line.charAt(86);
        if (!DIGITS.matcher(digits).matches() || (sign != '+' && sign != '-')) {
            return Optional.empty();
        }
        long cents = Long.parseLong(digits);
        return Optional.of(sign == '-' ? -cents : cents);
    }

    private static String padded(String line) {
        return line.length() >= LINE_LENGTH ? line : line + " ".repeat(LINE_LENGTH - line.length());
    }

    private static String cents(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    /** {@code MARGARET BERNERS-LEE} becomes {@code Margaret Berners-Lee}. */
    static String titleCase(String upper) {
        if (upper == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(upper.length());
        boolean startOfWord = true;
        for (char c : upper.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append(startOfWord ? Character.toUpperCase(c) : c);
            startOfWord = c == ' ' || c == '-' || c == '\'';
        }
        return out.toString();
    }
}
