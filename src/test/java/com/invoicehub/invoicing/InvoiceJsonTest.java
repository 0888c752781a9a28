package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.invoicehub.shared.Money;

/** Amounts are Money in Java and stay decimal strings scaled to the currency in JSON (CONTRACT §10). No Spring. */
class InvoiceJsonTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void totalsAreDecimalStringsInTheirPlace() throws Exception {
        Currency jpy = Currency.getInstance("JPY");
        Currency usd = Currency.getInstance("USD");
        Invoice invoice = new Invoice(7, "acme", 1, null, LocalDate.parse("2026-10-05"), LocalDate.parse("2026-11-05"),
                InvoiceStatus.AWAITING_APPROVAL, "USD", new Money(new BigDecimal("1250"), usd),
                List.of(new Invoice.Line("emp-1", null, "TUITION", new Money(new BigDecimal("1250.0"), usd), 1,
                        false)), null, null, null, null);

        assertThat(json.writeValueAsString(invoice)).isEqualTo("{\"id\":7,\"customerId\":\"acme\",\"revision\":1,"
                + "\"previousInvoiceId\":null,\"periodStart\":\"2026-10-05\",\"periodEnd\":\"2026-11-05\","
                + "\"status\":\"AWAITING_APPROVAL\",\"currency\":\"USD\",\"total\":\"1250.00\",\"lines\":[{"
                + "\"customerUserId\":\"emp-1\",\"userName\":null,\"expenseType\":\"TUITION\",\"total\":\"1250.00\","
                + "\"itemCount\":1,\"priorPeriod\":false,\"flags\":[]}],\"decidedBy\":null,\"decidedAt\":null,\"reason\":null,"
                + "\"createdAt\":null}");
        assertThat(json.writeValueAsString(new Invoice.Line("u", "n", "FEES", new Money(new BigDecimal("1200"), jpy),
                1, true))).contains("\"total\":\"1200\"");
        // A policy flag: its kind, the sentence, the amount over as a decimal string (issue 17).
        PolicyFlag cap = PolicyFlag.of(PolicyFlag.Kind.ANNUAL_CAP_EXCEEDED, "TUITION", 2026,
                new Money(new BigDecimal("750"), usd), new Money(new BigDecimal("5250"), usd),
                new Money(new BigDecimal("6000"), usd), null);
        assertThat(json.writeValueAsString(new Invoice.Line("u", "n", "TUITION", new Money(new BigDecimal("3000"), usd),
                1, false, List.of(cap)))).contains("\"flags\":[{\"kind\":\"ANNUAL_CAP_EXCEEDED\",\"message\":\""
                + cap.message() + "\",\"amountOver\":\"750.00\",\"year\":2026}]");
    }
}
