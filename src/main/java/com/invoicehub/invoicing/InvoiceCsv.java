package com.invoicehub.invoicing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Currency;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.shared.Money;

/**
 * An invoice as CSV, one row per line item behind it. Text cells a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or carriage return) are prefixed with an apostrophe; amounts stay numbers. Text cells are first
 * made safe by {@link DocumentText} (control characters and bidirectional controls from older rows).
 */
@Component
public class InvoiceCsv {

    static final String[] HEADER = {"invoiceId", "customerId", "periodStart", "periodEnd", "customerUserId",
            "userName", "expenseType", "priorPeriod", "partnerId", "externalId", "serviceDate", "description",
            "amount", "currency"};

    private final JdbcClient jdbc;

    InvoiceCsv(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public String render(Invoice invoice) {
        Currency currency = Currency.getInstance(invoice.currency());
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            jdbc.sql("""
                            select l.customer_user_id, l.user_name, l.expense_type, l.prior_period, li.partner_id,
                                   li.external_id, li.service_date, li.description, x.amount
                            from invoice_line_items x
                            join invoice_lines l on l.id = x.invoice_line_id
                            join line_items li on li.id = x.line_item_id
                            where x.invoice_id = :id and not x.excluded
                            order by l.customer_user_id, l.expense_type, li.service_date, li.external_id""")
                    .param("id", invoice.id())
                    .query(rs -> {
                        try {
                            csv.printRecord(invoice.id(), safe(invoice.customerId()), invoice.periodStart(),
                                    invoice.periodEnd(), safe(rs.getString(1)), safe(rs.getString(2)),
                                    rs.getString(3), rs.getBoolean(4), safe(rs.getString(5)), safe(rs.getString(6)),
                                    rs.getDate(7).toLocalDate(), safe(rs.getString(8)),
                                    new Money(rs.getBigDecimal(9), currency).toPlainString(),
                                    invoice.currency());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Made safe for documents (see {@link DocumentText}), then defused for spreadsheets. */
    static String safe(String text) {
        text = DocumentText.clean(text);
        if (text == null || text.isEmpty()) {
            return text;
        }
        return "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
