package com.invoicehub.mappings.tables;

import java.math.BigDecimal;

/** Test access to how a number cell's stored text becomes its decimal. */
public final class SheetRowsAccess {

    private SheetRowsAccess() {
    }

    public static String decimal(String written) {
        return SheetRows.decimal(new BigDecimal(written)).toPlainString();
    }
}
