package com.invoicehub.mappings.northwindcsv;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.ledger.ValidLineItem;
import com.invoicehub.mappings.SampleFiles;

class NorthwindCsvMappingTest {

    private final NorthwindCsvMapping mapping = new NorthwindCsvMapping(new DefaultCamelContext());

    @Test
    void translatesTheBursarsConventions() throws Exception {
        SampleFiles.Outcome outcome = SampleFiles.read(mapping, "northwind-2026-10.csv");
        ValidLineItem first = outcome.valid().get(0);
        assertThat(first.externalId()).isEqualTo("NW-77000");
        assertThat(first.customerId()).isEqualTo("initech");
        assertThat(first.userName()).isEqualTo("Margaret Berners-Lee");
        assertThat(first.expenseType()).isEqualTo(ExpenseType.FEES);
        assertThat(first.serviceDate()).hasToString("2026-10-28");
        assertThat(first.amount().toPlainString()).isEqualTo("217.25");
        assertThat(first.amount().currency().getCurrencyCode()).isEqualTo("EUR");
        assertThat(outcome.rows().get(0).raw()).startsWith("\"NW-77000\";\"INITECH\"").doesNotEndWith("\r");
        assertThat(outcome.valid()).anyMatch(i -> i.expenseType() == ExpenseType.MATERIALS);
        assertThat(outcome.valid()).anyMatch(i -> i.amount().amount().abs().compareTo(new java.math.BigDecimal("1000")) > 0);
        assertThat(outcome.valid()).anyMatch(i -> i.description() != null && i.description().contains(";"));
    }

    @Test
    void namesAreTurnedFirstNameFirst() {
        assertThat(NorthwindCsvMapping.firstNameFirst("Lovelace, Ada")).isEqualTo("Ada Lovelace");
        assertThat(NorthwindCsvMapping.firstNameFirst("Plato")).isEqualTo("Plato");
    }
}
