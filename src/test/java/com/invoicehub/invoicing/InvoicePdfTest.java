package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.invoicehub.shared.Money;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;

/** The PDF reads as an invoice: header, customer, period, lines per employee with subtotals, total. */
@HubIntegrationTest
class InvoicePdfTest {

    @Autowired
    InvoicePdf pdf;
    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;

    @Test
    void namesBeyondLatin1AndEveryAmountAreInTheText() throws IOException {
        Invoice invoice = new Invoice(42, "acme", 2, 41L, LocalDate.parse("2026-10-05"), LocalDate.parse("2026-11-05"),
                InvoiceStatus.AWAITING_APPROVAL, "EUR", money("1180.40"), List.of(
                new Invoice.Line("u-1", "Zoë Ñúñez", "TUITION", money("1200.00"), 2, false),
                new Invoice.Line("u-1", "Zoë Ñúñez", "MATERIALS", money("-30.00"), 1, false),
                new Invoice.Line("u-2", "Łukasz Żółć", "FEES", money("10.40"), 1, true)), null, null, null,
                java.time.OffsetDateTime.parse("2026-11-06T08:00:00Z"));
        String text = text(pdf.render(InvoiceDocument.of(invoice, "Acme Łódź GmbH")));
        assertThat(text).contains("Invoice 42 (revision 2)", "Bill to", "Acme Łódź GmbH", "Issued", "2026-11-06", "2026-10-05", "2026-11-05",
                "Replaces", "invoice 41", "Zoë Ñúñez", "Łukasz Żółć", "prior period", "1200.00", "-30.00",
                "Subtotal Zoë Ñúñez", "1170.00", "10.40", "1180.40 EUR");
    }

    @Test
    void theApiServesTheInvoiceAsPdf() throws IOException {
        Fixture fixture = fixtures.fresh();
        fixtures.apply(fixture, "F-1;emp-1;TUITION;300.00;2026-10-10", "F-2;emp-2;FEES;12.34;2026-10-11");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + fixture.customerId() + "/trigger", null).json()
                .get("invoiceId").asLong();
        byte[] bytes = api.bytesAsOps("/api/v1/invoices/" + invoiceId + "/download?format=pdf");
        String text = text(bytes);
        assertThat(text).contains("Invoice " + invoiceId, "Customer " + fixture.customerId(), "Name emp-1",
                "Name emp-2", "312.34 USD");
    }

    private static String text(byte[] pdf) throws IOException {
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    private static Money money(String amount) {
        return Money.parseExact(amount, java.util.Currency.getInstance("EUR"));
    }
}
