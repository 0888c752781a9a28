package com.invoicehub.mappings.brightpathfixed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigDecimal;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.ledger.ValidLineItem;
import com.invoicehub.mappings.SampleFiles;

class BrightpathFixedMappingTest {

    private final BrightpathFixedMapping mapping = new BrightpathFixedMapping(new DefaultCamelContext());

    @Test
    void readsTheFixedPositions() throws Exception {
        ValidLineItem first = SampleFiles.read(mapping, "BRIGHTPATH.202610.DAT").valid().get(0);
        assertThat(first.externalId()).isEqualTo("BP0000000001");
        assertThat(first.customerId()).isEqualTo("acme");
        assertThat(first.customerUserId()).isEqualTo("emp-7022");
        assertThat(first.userName()).isEqualTo("Alan Backus");
        assertThat(first.expenseType()).isEqualTo(ExpenseType.TUITION);
        assertThat(first.serviceDate()).hasToString("2026-10-03");
        assertThat(first.amount().amount()).isEqualByComparingTo(new BigDecimal("3371.14"));
        assertThat(first.description()).isEqualTo("CS 210 DATA STRUCTURES");
    }

    @Test
    void theTruncatedFileIsRefusedWhole() throws Exception {
        try (InputStream in = SampleFiles.open("BRIGHTPATH.202610.TRUNCATED.DAT")) {
            assertThat(mapping.refusal(in)).hasValueSatisfying(reason -> assertThat(reason).contains("trailer"));
        }
    }

    @Test
    void aTrailerThatDisagreesIsRefusedWithBothFigures() throws Exception {
        String header = "H20261001BRIGHTPATH TUTORING 000042";
        String detail = "DBP0000000001acme      emp-7022    ALAN BACKUS                   TU2026100300000337114+USD"
                + "CS 210";
        String trailer = "T000000010000000337115+";
        try (InputStream in = new java.io.ByteArrayInputStream(String.join("\n", header, detail, trailer)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(mapping.refusal(in)).hasValueSatisfying(reason ->
                    assertThat(reason).contains("3371.15").contains("3371.14"));
        }
    }

    @Test
    void upperCaseNamesBecomeTitleCase() {
        assertThat(BrightpathFixedMapping.titleCase("MARGARET BERNERS-LEE")).isEqualTo("Margaret Berners-Lee");
    }
}
