package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvoiceCsvTest {

    @Test
    void cellsASpreadsheetWouldRunAreDefused() {
        assertThat(InvoiceCsv.safe("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(InvoiceCsv.safe("+1")).isEqualTo("'+1");
        assertThat(InvoiceCsv.safe("-cmd")).isEqualTo("'-cmd");
        assertThat(InvoiceCsv.safe("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(InvoiceCsv.safe("Ada Lovelace")).isEqualTo("Ada Lovelace");
        assertThat(InvoiceCsv.safe(null)).isNull();
    }
}
