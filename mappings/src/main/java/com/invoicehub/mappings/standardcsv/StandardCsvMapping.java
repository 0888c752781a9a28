package com.invoicehub.mappings.standardcsv;

import java.util.List;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.mapping.RawLineItem;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.mappings.CsvMapping;

/** {@code standard-csv}: the canonical item as CSV; nothing to translate. */
@Component
public class StandardCsvMapping extends CsvMapping<StandardCsvRecord> {

    public static final List<String> HEADER = List.of("external_id", "customer_id", "customer_user_id", "user_name",
            "expense_type", "amount", "currency", "service_date", "description");

    public StandardCsvMapping(CamelContext camel) {
        super(StandardCsvRecord.class, ',', HEADER, camel);
    }

    @Override
    public String name() {
        return "standard-csv";
    }

    @Override
    protected SourceRow toRow(int rowNumber, String raw, StandardCsvRecord r) {
        return SourceRow.parsed(rowNumber, raw, new RawLineItem(r.externalId, r.customerId, r.customerUserId,
                r.userName, r.expenseType, r.amount, r.currency, r.serviceDate, r.description));
    }
}
