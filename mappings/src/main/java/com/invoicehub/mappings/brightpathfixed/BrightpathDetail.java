package com.invoicehub.mappings.brightpathfixed;

import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.annotation.FixedLengthRecord;

/** A BrightPath detail line ({@code D}): 120 characters, positions as in the partner's spec (1-based). */
@FixedLengthRecord(length = 120, paddingChar = ' ')
public class BrightpathDetail {

    @DataField(pos = 1, length = 1)
    String recordType;
    @DataField(pos = 2, length = 12, trim = true)
    String transactionId;
    @DataField(pos = 14, length = 10, trim = true)
    String customerId;
    @DataField(pos = 24, length = 12, trim = true)
    String employeeId;
    @DataField(pos = 36, length = 30, trim = true)
    String employeeName;
    @DataField(pos = 66, length = 2, trim = true)
    String typeCode;
    @DataField(pos = 68, length = 8, trim = true)
    String serviceDate;
    @DataField(pos = 76, length = 11, trim = true)
    String amountCents;
    @DataField(pos = 87, length = 1)
    String sign;
    @DataField(pos = 88, length = 3, trim = true)
    String currency;
    @DataField(pos = 91, length = 30, trim = true)
    String description;
}
