package com.invoicehub.mappings.northwindcsv;

import org.apache.camel.dataformat.bindy.annotation.CsvRecord;
import org.apache.camel.dataformat.bindy.annotation.DataField;

/**
 * Northwind University's bursar export: semicolons, every field quoted, UTF-8 with BOM, CRLF. Bindy's own splitter
 * breaks on the semicolons inside quotes ("Calculus I; Section 2"), so records are tokenized by CsvFields first.
 */
@CsvRecord(separator = ";", skipFirstLine = true, quote = "\"")
public class NorthwindCsvRecord {

    @DataField(pos = 1)
    String invoiceRef;
    @DataField(pos = 2)
    String employerCode;
    @DataField(pos = 3)
    String studentId;
    @DataField(pos = 4)
    String studentName;
    @DataField(pos = 5)
    String chargeType;
    @DataField(pos = 6)
    String termDate;
    @DataField(pos = 7)
    String amount;
    @DataField(pos = 8)
    String currency;
    @DataField(pos = 9)
    String course;
}
