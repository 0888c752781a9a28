package com.invoicehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.shared.Money;

/** The 810 is a valid interchange by StAEDI's reading, with one IT1 per line and TDS equal to the total. */
class X12InvoiceTest {

    private final X12Invoice x12 = new X12Invoice();

    @Test
    void aValidInterchangeWithOneIt1PerLineAndTheTotalInCents() {
        Invoice invoice = new Invoice(7, "acme", 2, 6L, LocalDate.parse("2026-10-05"), LocalDate.parse("2026-11-05"),
                InvoiceStatus.APPROVED, "USD", money("1176.10"), List.of(
                new Invoice.Line("emp-1", "Zoë Ñúñez*~", "TUITION", money("1149.50"), 2, false),
                new Invoice.Line("emp-1", "Zoë Ñúñez*~", "MATERIALS", money("-13.40"), 1, false),
                new Invoice.Line("emp-2", "Ada Lovelace", "TUTORING", money("40.00"), 1, true)), "ops", null, null,
                java.time.OffsetDateTime.parse("2026-11-06T08:00:00Z"));
        byte[] bytes = x12.write(InvoiceDocument.of(invoice, "Acme Corporation"),
                new X12Invoice.Parties("INVOICEHUB", "ACME-AP"), 42, ZonedDateTime.parse("2026-11-22T10:15:00Z"));
        String text = new String(bytes, StandardCharsets.US_ASCII);

        assertThat(x12.validate(bytes)).isEmpty();
        assertThat(text).startsWith("ISA*00*          *00*          *ZZ*INVOICEHUB     *ZZ*ACME-AP        *261122*1015*^*00501*000000042*0*P*:~");
        assertThat(text).contains("GS*IN*INVOICEHUB*ACME-AP*20261122*1015*42*X*005010~", "ST*810*0001~",
                "BIG*20261122*INV-7-R2~", "CUR*SE*USD~", "REF*OI*INV-6~", "N1*BT*Acme Corporation*92*acme~",
                "DTM*186*20261005~", "DTM*187*20261104~", "IT1*1*1*LS*1149.50**ZZ*emp-1*ZZ*TUITION~",
                "IT1*2*1*LS*-13.40**ZZ*emp-1*ZZ*MATERIALS~", "TDS*117610~", "CTT*3~", "GE*1*42~", "IEA*1*000000042~");
        assertThat(text.lines().filter(line -> line.startsWith("IT1*"))).hasSize(3);
        long segments = text.lines().dropWhile(line -> !line.startsWith("ST*")).takeWhile(line -> !line.startsWith("GE*"))
                .count();
        assertThat(text).contains("SE*" + segments + "*0001~");
        assertThat(text).doesNotContain("Ñúñez*"); // a delimiter in a name cannot break the interchange
    }

    @Test
    void aBrokenInterchangeIsReportedInvalid() {
        String broken = "ISA*00*          *00*          *ZZ*INVOICEHUB     *ZZ*ACME-AP        *261122*1015*^*00501"
                + "*000000042*0*P*:~GS*IN*INVOICEHUB*ACME-AP*20261122*1015*42*X*005010~ST*810*0001~"
                + "BIG*20261122~TDS*ABC~SE*4*0001~GE*1*42~IEA*1*000000042~";
        assertThat(x12.validate(broken.getBytes(StandardCharsets.US_ASCII))).isNotEmpty();
    }

    private static Money money(String amount) {
        return Money.parseExact(amount, java.util.Currency.getInstance("USD"));
    }
}
