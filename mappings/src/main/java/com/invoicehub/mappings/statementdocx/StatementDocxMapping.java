package com.invoicehub.mappings.statementdocx;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.mappings.tables.DocxTableMapping;
import com.invoicehub.mappings.tables.TableLayout;
import com.invoicehub.mappings.tables.TableLayout.Column;
import com.invoicehub.mappings.tables.TableLayout.Converted;
import com.invoicehub.mappings.tables.TableLayout.Kind;

/**
 * {@code statement-docx}: a letter or statement (Word) with a table of charges whose header is
 * {@code Reference | Customer | Employee ID | Employee | Charge | Date | Amount | Currency | Description}, in any
 * order; the charge a word ({@code Tuition}, {@code Materials}, {@code Tutoring}, {@code Fees}), the date
 * {@code 14 Oct 2026} (or {@code 2026-10-14}), the amount {@code 1,250.00} ({@code -87.10} a refund), and an optional
 * last row {@code Total} whose amount must equal the rows' sum.
 */
@Component
public class StatementDocxMapping extends DocxTableMapping {

    public static final List<Column> COLUMNS = List.of(
            new Column("Reference", "externalId", Kind.TEXT),
            new Column("Customer", "customerId", Kind.TEXT),
            new Column("Employee ID", "customerUserId", Kind.TEXT),
            new Column("Employee", "userName", Kind.TEXT),
            new Column("Charge", "expenseType", Kind.TEXT),
            new Column("Date", "serviceDate", Kind.DATE),
            new Column("Amount", "amount", Kind.AMOUNT),
            new Column("Currency", "currency", Kind.TEXT),
            new Column("Description", "description", Kind.TEXT));

    private static final Map<String, String> CHARGES = Map.of(
            "tuition", "TUITION", "materials", "MATERIALS", "tutoring", "TUTORING", "fees", "FEES");
    private static final Pattern AMOUNT = Pattern.compile("-?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH)
            .withResolverStyle(ResolverStyle.STRICT);

    public StatementDocxMapping() {
        super(new TableLayout(COLUMNS, new Conventions()), "Total");
    }

    @Override
    public String name() {
        return "statement-docx";
    }

    private static final class Conventions implements TableLayout.TextConventions {

        @Override
        public Converted text(Column column, String text) {
            String value = text.strip();
            return switch (column.field()) {
                case "expenseType" -> Converted.of(CHARGES.getOrDefault(value.toLowerCase(Locale.ROOT), value));
                case "amount" -> AMOUNT.matcher(value).matches() ? Converted.of(value.replace(",", ""))
                        : Converted.rejected(ReasonCode.INVALID_AMOUNT, "column 'Amount' holds '" + value
                        + "', not an amount like 1,250.00 or -87.10", column.field());
                case "serviceDate" -> date(column, value);
                default -> Converted.of(text);
            };
        }

        private static Converted date(Column column, String value) {
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return Converted.of(value); // the rules judge an ISO date
            }
            try {
                return Converted.of(LocalDate.parse(value, DATE).toString());
            } catch (DateTimeParseException e) {
                return Converted.rejected(ReasonCode.INVALID_DATE, "column 'Date' holds '" + value
                        + "', not a date like 14 Oct 2026", column.field());
            }
        }
    }
}
