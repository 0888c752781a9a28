package com.invoicehub.mappings.standardcsv;

import org.apache.camel.dataformat.bindy.annotation.CsvRecord;
import org.apache.camel.dataformat.bindy.annotation.DataField;

/**
 * The hub's standard CSV (asu-online): the canonical fields in snake_case, comma separated, RFC 4180 quoting.
 * Fields stay text here; the hub's rules judge them, so a bad amount is a rejection, not a parse failure.
 */
@CsvRecord(separator = ",", skipFirstLine = true, quote = "\"")
public class StandardCsvRecord {

    @DataField(pos = 1)
    String externalId;
    @DataField(pos = 2)
    String customerId;
    @DataField(pos = 3)
    String customerUserId;
    @DataField(pos = 4)
    String userName;
    @DataField(pos = 5)
    String expenseType;
    @DataField(pos = 6)
    String amount;
    @DataField(pos = 7)
    String currency;
    @DataField(pos = 8)
    String serviceDate;
    @DataField(pos = 9)
    String description;
}
