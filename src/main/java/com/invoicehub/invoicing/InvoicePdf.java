package com.invoicehub.invoicing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;

/**
 * An invoice as a PDF a person accepts as an invoice: an XHTML template (templates/documents/invoice-pdf.html)
 * laid out by openhtmltopdf. DejaVu Sans is embedded: the PDF base fonts cannot draw many names (Zoë, Łukasz).
 */
@Component
public class InvoicePdf {

    private static final String FONTS = "/net/sf/jasperreports/fonts/dejavu/";

    private final ITemplateEngine templates;

    InvoicePdf(ITemplateEngine templates) {
        this.templates = templates;
    }

    public byte[] render(InvoiceDocument document) {
        Context context = new Context();
        context.setVariable("doc", document);
        String xhtml = templates.process("documents/invoice-pdf", context);
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.useFont(() -> InvoicePdf.class.getResourceAsStream(FONTS + "DejaVuSans.ttf"), "DejaVu Sans",
                    400, FontStyle.NORMAL, true);
            builder.useFont(() -> InvoicePdf.class.getResourceAsStream(FONTS + "DejaVuSans-Bold.ttf"), "DejaVu Sans",
                    700, FontStyle.NORMAL, true);
            builder.useFont(() -> InvoicePdf.class.getResourceAsStream(FONTS + "DejaVuSans-Oblique.ttf"),
                    "DejaVu Sans", 400, FontStyle.ITALIC, true);
            builder.withHtmlContent(xhtml, null);
            builder.toStream(pdf);
            builder.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pdf.toByteArray();
    }
}
