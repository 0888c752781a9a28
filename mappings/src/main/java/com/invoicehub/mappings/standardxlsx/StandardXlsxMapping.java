package com.invoicehub.mappings.standardxlsx;

import java.util.List;

import org.springframework.stereotype.Component;

import com.invoicehub.mappings.tables.TableLayout;
import com.invoicehub.mappings.tables.TableLayout.Column;
import com.invoicehub.mappings.tables.TableLayout.Kind;
import com.invoicehub.mappings.tables.XlsxMapping;

/**
 * {@code standard-xlsx}: the standard CSV's columns in a spreadsheet (what a bursar's office gets by opening the
 * standard CSV in Excel or LibreOffice and saving it): the first visible sheet, a header row with the snake_case names
 * (any order, other columns beside them, a title above), amounts as number cells or decimal text, service dates as date
 * cells or {@code yyyy-MM-dd} text.
 */
@Component
public class StandardXlsxMapping extends XlsxMapping {

    public static final List<Column> COLUMNS = List.of(
            new Column("external_id", "externalId", Kind.TEXT),
            new Column("customer_id", "customerId", Kind.TEXT),
            new Column("customer_user_id", "customerUserId", Kind.TEXT),
            new Column("user_name", "userName", Kind.TEXT),
            new Column("expense_type", "expenseType", Kind.TEXT),
            new Column("amount", "amount", Kind.AMOUNT),
            new Column("currency", "currency", Kind.TEXT),
            new Column("service_date", "serviceDate", Kind.DATE),
            new Column("description", "description", Kind.TEXT));

    public StandardXlsxMapping() {
        super(new TableLayout(COLUMNS, new TableLayout.TextConventions() {
        }), null);
    }

    @Override
    public String name() {
        return "standard-xlsx";
    }
}
