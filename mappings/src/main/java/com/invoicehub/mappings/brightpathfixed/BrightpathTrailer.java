package com.invoicehub.mappings.brightpathfixed;

import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.annotation.FixedLengthRecord;

/** The trailer ({@code T}): how many detail lines the file has and the sum of their signed amounts in cents. */
@FixedLengthRecord(length = 120, paddingChar = ' ')
public class BrightpathTrailer {

    @DataField(pos = 1, length = 1)
    String recordType;
    @DataField(pos = 2, length = 8, trim = true)
    String detailCount;
    @DataField(pos = 10, length = 13, trim = true)
    String totalCents;
    @DataField(pos = 23, length = 1)
    String sign;
}
