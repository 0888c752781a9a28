package com.invoicehub.mappings.northwindcsv;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.mapping.RawLineItem;
import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.ingest.mapping.Rejection;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.mappings.CsvMapping;

/**
 * {@code northwind-csv}: upper-case employer codes, {@code Last, First} names, charge-type words, {@code dd.MM.yyyy}
 * dates and amounts with a dot for thousands and a comma for decimals ({@code 1.250,00}).
 */
@Component
public class NorthwindCsvMapping extends CsvMapping<NorthwindCsvRecord> {

    static final List<String> HEADER = List.of("Invoice Ref", "Employer Code", "Student ID", "Student Name",
            "Charge Type", "Term Date", "Amount", "Currency", "Course");

    private static final Map<String, String> CHARGE_TYPES = Map.of(
            "tuition", "TUITION", "books & materials", "MATERIALS", "tutoring", "TUTORING", "fees", "FEES");
    private static final Pattern EUROPEAN_AMOUNT = Pattern.compile("-?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?");
    private static final DateTimeFormatter TERM_DATE = DateTimeFormatter.ofPattern("dd.MM.uuuu")
            .withResolverStyle(ResolverStyle.STRICT);

    public NorthwindCsvMapping(CamelContext camel) {
        super(NorthwindCsvRecord.class, ';', HEADER, camel);
    }

    @Override
    public String name() {
        return "northwind-csv";
    }

    @Override
    protected SourceRow toRow(int rowNumber, String raw, NorthwindCsvRecord r) {
        String amount = RawLineItem.stripSpaces(r.amount);
        if (amount != null && !amount.isEmpty()) {
            if (!EUROPEAN_AMOUNT.matcher(amount).matches()) {
                return SourceRow.rejected(rowNumber, raw, r.invoiceRef, new Rejection(ReasonCode.INVALID_AMOUNT,
                        "Amount " + amount + " is not a number like 1.250,00", "amount"));
            }
            amount = amount.replace(".", "").replace(',', '.');
        }
        String date = RawLineItem.stripSpaces(r.termDate);
        if (date != null && !date.isEmpty()) {
            try {
                date = LocalDate.parse(date, TERM_DATE).toString();
            } catch (DateTimeParseException e) {
                return SourceRow.rejected(rowNumber, raw, r.invoiceRef, new Rejection(ReasonCode.INVALID_DATE,
                        "Term Date " + date + " is not a date dd.MM.yyyy", "serviceDate"));
            }
        }
        String chargeType = RawLineItem.stripSpaces(r.chargeType);
        String expenseType = chargeType == null ? null
                : CHARGE_TYPES.getOrDefault(chargeType.toLowerCase(Locale.ROOT), chargeType);
        String employerCode = RawLineItem.stripSpaces(r.employerCode);
        return SourceRow.parsed(rowNumber, raw, new RawLineItem(r.invoiceRef,
                employerCode == null ? null : employerCode.toLowerCase(Locale.ROOT),
                r.studentId, firstNameFirst(r.studentName), expenseType, amount, r.currency, date, r.course));
    }

    /** {@code Berners-Lee, Margaret} becomes {@code Margaret Berners-Lee}. */
    static String firstNameFirst(String name) {
        if (name == null) {
            return null;
        }
        int comma = name.indexOf(',');
        return comma < 0 ? RawLineItem.stripSpaces(name) : (RawLineItem.stripSpaces(name.substring(comma + 1)) + " "
                + RawLineItem.stripSpaces(name.substring(0, comma)));
    }
}
