package com.invoicehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.shared.Money;
import com.invoicehub.invoicing.InvoicePdf;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.Mailbox;

/**
 * Names stored before ingest refused control characters (or put in by hand) reach every document: the PDF, the CSV,
 * the X12 810 and both mails render and read back, with control and bidirectional characters gone, X12 delimiters
 * kept out of segments, HTML escaped and a 300-character name kept in the layout.
 */
@HubIntegrationTest
class HostileTextDocumentsTest {

    /** PostgreSQL text cannot hold NUL: stored rows carry the other controls, NUL is rendered from memory below. */
    static final String CONTROLS = "Zo\u00eb\u001B[31m\u0007\tN\u00fa\u00f1ez\r\n\u0085";
    static final String HOSTILE = CONTROLS + " *~:^ <script>alert('x')</script> \u202Egnp.exe \u200F\u05e9\u05dc\u05d5\u05dd";
    static final String LONG = "L".repeat(300);

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    InvoiceDocuments documents;
    @Autowired
    X12Invoice x12;
    @Autowired
    Mailbox mailbox;
    @Autowired
    InvoicePdf pdf;
    @Autowired
    ITemplateEngine templates;

    @Test
    void everyDocumentRendersHostileNamesSafely() throws IOException {
        IngestFixtures.Fixture fixture = fixtures.fresh();
        String customer = fixture.customerId();
        fixtures.apply(fixture, "H-1;emp-1;TUITION;300.00;2026-10-10", "H-2;emp-2;FEES;12.34;2026-10-11");
        // Rows as an older hub stored them: straight into the tables, past today's ingest rules.
        jdbc.sql("update customers set name = :name where id = :c").param("name", "Acme " + HOSTILE)
                .param("c", customer).update();
        jdbc.sql("update line_items set user_name = :name, description = :name where customer_id = :c "
                + "and customer_user_id = 'emp-1'").param("name", HOSTILE).param("c", customer).update();
        jdbc.sql("update customer_users set name = :name where customer_id = :c and id = 'emp-1'")
                .param("name", HOSTILE).param("c", customer).update();
        jdbc.sql("update line_items set user_name = :name where customer_id = :c and customer_user_id = 'emp-2'")
                .param("name", LONG).param("c", customer).update();
        jdbc.sql("update customer_users set name = :name where customer_id = :c and id = 'emp-2'")
                .param("name", LONG).param("c", customer).update();
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + customer + "/trigger", null).json()
                .get("invoiceId").asLong();

        // PDF: downloads (was a 500), opens, holds the names without the characters that broke it.
        byte[] downloaded = api.bytesAsOps("/api/v1/invoices/" + invoiceId + "/download?format=pdf");
        assertThat(new String(downloaded, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument document = Loader.loadPDF(downloaded)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("Zoë [31m N", "<script>alert('x')</script>", "312.34 USD");
            assertThat(text.replaceAll("\\s", "")).contains(LONG.substring(0, 199) + "…");
            assertThat(text).doesNotContain("\u0000", "\u001B", "\u202E", "\u0007");
            assertThat(document.getNumberOfPages()).isEqualTo(1);
        }

        // CSV: parses with Commons CSV; the hostile cells are one cell each, cleaned.
        String csv = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/download?format=csv", null).body();
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertThat(rows).hasSize(2);
        CSVRecord hostile = rows.stream().filter(row -> row.get("customerUserId").equals("emp-1")).findFirst()
                .orElseThrow();
        assertThat(hostile.size()).isEqualTo(14);
        assertThat(hostile.get("userName")).startsWith("Zoë [31m Núñez *~:^ <script>").doesNotContain("\u202E")
                .matches("[^\\p{Cntrl}]*");
        assertThat(hostile.get("description")).isEqualTo(hostile.get("userName"));
        assertThat(rows.stream().filter(row -> row.get("customerUserId").equals("emp-2")).findFirst().orElseThrow()
                .get("userName")).isEqualTo(LONG);

        // X12: valid by the 810 schema; no delimiter from a name inside a segment.
        InvoiceDocument document = documents.of(invoiceId);
        byte[] interchange = x12.write(document, new X12Invoice.Parties("INVOICEHUB", "ACME-AP"), 7,
                ZonedDateTime.parse("2026-11-22T10:15:00Z"));
        assertThat(x12.validate(interchange)).isEmpty();
        String edi = new String(interchange, StandardCharsets.US_ASCII);
        assertThat(edi.lines().filter(line -> line.startsWith("PID*"))).hasSize(2)
                .allSatisfy(line -> assertThat(line.split("\\*", -1)).hasSize(6));
        assertThat(edi.lines().filter(line -> line.startsWith("N1*BT*")).findFirst().orElseThrow())
                .matches("N1\\*BT\\*[^*~:^]+\\*92\\*" + customer + "~");
        assertThat(edi).doesNotContain("\u0000", "\u001B");

        // Mails: the approval request now, the delivery with both attachments after approval.
        Mailbox.ReadMail approval = mailbox.await("approver@" + customer + ".example",
                mail -> mail.subject().contains("invoice " + invoiceId));
        assertSafeMail(approval);
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null).status()).isEqualTo(200);
        Mailbox.ReadMail delivered = mailbox.await("billing@" + customer + ".example",
                mail -> mail.subject().contains("Invoice " + invoiceId));
        assertSafeMail(delivered);
        assertThat(delivered.attachments()).hasSize(2);
    }

    @Test
    void nulAndEveryOtherHostileNameRenderFromMemory() throws IOException {
        String nul = "Zo\u00eb\u0000\u001B[31m N\u00fa\u00f1ez" + HOSTILE;
        Invoice invoice = new Invoice(9, "acme", 1, null, LocalDate.parse("2026-10-05"),
                LocalDate.parse("2026-11-05"), InvoiceStatus.APPROVED, "USD", money("10.00"), List.of(
                new Invoice.Line(nul, nul, "TUITION", money("4.00"), 1, false),
                new Invoice.Line("emp-2", LONG, "FEES", money("6.00"), 1, false)), null, null, null, null);
        InvoiceDocument document = InvoiceDocument.of(invoice, nul);

        byte[] rendered = pdf.render(document);
        try (PDDocument read = Loader.loadPDF(rendered)) {
            assertThat(new PDFTextStripper().getText(read)).contains("<script>alert('x')</script>", "10.00 USD")
                    .doesNotContain("\u0000", "\u001B", "\u202E");
        }
        byte[] interchange = x12.write(document, new X12Invoice.Parties("INVOICEHUB", "ACME-AP"), 8,
                ZonedDateTime.parse("2026-11-22T10:15:00Z"));
        assertThat(x12.validate(interchange)).isEmpty();
        assertThat(new String(interchange, StandardCharsets.US_ASCII)).doesNotContain("\u0000", "\u001B");
        Context context = new Context();
        context.setVariable("doc", document);
        String html = templates.process("mail/invoice-delivery", context);
        assertThat(html).contains("&lt;script&gt;").doesNotContain("<script>", "\u0000", "\u001B", "\u202E");
    }

    private static void assertSafeMail(Mailbox.ReadMail mail) {
        assertThat(mail.subject()).contains("Acme Zoë [31m Núñez").matches("[^\\p{Cntrl}\u202E]*");
        assertThat(mail.html()).contains("&lt;script&gt;").doesNotContain("<script>", "\u0000", "\u001B", "\u202E");
        assertThat(mail.text()).contains("Acme Zoë").doesNotContain("\u0000", "\u001B", "\u202E");
    }

    private static Money money(String amount) {
        return Money.parseExact(amount, java.util.Currency.getInstance("USD"));
    }
}
