package com.invoicehub.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import com.invoicehub.invoicing.DocumentText;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceDocument;

import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.EDIStreamWriter;

/**
 * An approved invoice as an ANSI X12 810 interchange (version 005010), written with StAEDI and validated against
 * the hub's 810 schema (edi/x12-810-invoice.xml) before it leaves: one IT1 (with a PID naming the employee and
 * expense type) per invoice line, TDS the total in cents, CTT the line count. The interchange control number is the
 * customer's next one, given by the caller.
 */
@Component
public class X12Invoice {

    /** Who sends and who receives (ISA06/ISA08 and GS02/GS03), from the customer's EDI settings. */
    public record Parties(String senderId, String receiverId) {
    }

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

    private final Schema transactionSchema;

    X12Invoice() {
        try (InputStream in = X12Invoice.class.getResourceAsStream("/edi/x12-810-invoice.xml")) {
            this.transactionSchema = SchemaFactory.newFactory().createSchema(in);
        } catch (IOException | EDISchemaException e) {
            throw new IllegalStateException("the 810 schema edi/x12-810-invoice.xml does not load", e);
        }
    }

    public byte[] write(InvoiceDocument document, Parties parties, long controlNumber, ZonedDateTime at) {
        Invoice invoice = document.invoice();
        ZonedDateTime utc = at.withZoneSameInstant(ZoneOffset.UTC);
        String control = String.format("%09d", controlNumber);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EDIOutputFactory factory = EDIOutputFactory.newFactory();
        factory.setProperty(EDIOutputFactory.PRETTY_PRINT, true);
        try {
            EDIStreamWriter writer = factory.createEDIStreamWriter(out, "US-ASCII");
            writer.startInterchange();
            segment(writer, "ISA", "00", " ".repeat(10), "00", " ".repeat(10), "ZZ", padded(parties.senderId()),
                    "ZZ", padded(parties.receiverId()), YYMMDD.format(utc), HHMM.format(utc), "^", "00501", control,
                    "0", "P", ":");
            segment(writer, "GS", "IN", parties.senderId(), parties.receiverId(), CCYYMMDD.format(utc.toLocalDate()),
                    HHMM.format(utc), Long.toString(controlNumber), "X", "005010");
            List<String[]> body = new ArrayList<>();
            body.add(new String[] {"ST", "810", "0001"});
            body.add(new String[] {"BIG", CCYYMMDD.format(utc.toLocalDate()), invoiceNumber(invoice)});
            body.add(new String[] {"CUR", "SE", invoice.currency()});
            if (invoice.previousInvoiceId() != null) {
                body.add(new String[] {"REF", "OI", "INV-" + invoice.previousInvoiceId()}); // original invoice
            }
            body.add(new String[] {"N1", "SE", "invoice-hub", "92", parties.senderId()});
            body.add(new String[] {"N1", "BT", text(document.customerName(), 60), "92", invoice.customerId()});
            body.add(new String[] {"DTM", "186", CCYYMMDD.format(invoice.periodStart())});
            body.add(new String[] {"DTM", "187", CCYYMMDD.format(lastDay(invoice.periodEnd()))});
            int line = 0;
            for (InvoiceDocument.Employee employee : document.employees()) {
                for (Invoice.Line item : employee.lines()) {
                    line++;
                    body.add(new String[] {"IT1", Integer.toString(line), "1", "LS", item.total().toPlainString(), "", "ZZ",
                            text(item.customerUserId(), 48), "ZZ", item.expenseType()});
                    body.add(new String[] {"PID", "F", "", "", "", text(employee.userName() + " - " + item.expenseType()
                            + " (" + item.itemCount() + (item.itemCount() == 1 ? " item" : " items")
                            + (item.priorPeriod() ? ", prior period" : "") + ")", 80)});
                }
            }
            body.add(new String[] {"TDS", invoice.total().amount().movePointRight(2).setScale(0)
                    .toPlainString()});
            body.add(new String[] {"CTT", Integer.toString(line)});
            body.add(new String[] {"SE", Integer.toString(body.size() + 1), "0001"});
            for (String[] segment : body) {
                segment(writer, segment[0], java.util.Arrays.copyOfRange(segment, 1, segment.length));
            }
            segment(writer, "GE", "1", Long.toString(controlNumber));
            segment(writer, "IEA", "1", control);
            writer.endInterchange();
            writer.close();
        } catch (EDIStreamException e) {
            throw new IllegalStateException("X12 810 for invoice " + invoice.id() + " could not be written", e);
        }
        byte[] interchange = out.toByteArray();
        List<String> errors = validate(interchange);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("X12 810 for invoice " + invoice.id() + " is not valid: " + errors);
        }
        return interchange;
    }

    /** Reads an interchange back with the envelope and 810 schemas; answers every problem found (none: valid). */
    public List<String> validate(byte[] interchange) {
        List<String> errors = new ArrayList<>();
        try (EDIStreamReader reader = EDIInputFactory.newFactory()
                .createEDIStreamReader(new ByteArrayInputStream(interchange))) {
            while (reader.hasNext()) {
                EDIStreamEvent event = reader.next();
                switch (event) {
                    case START_TRANSACTION -> reader.setTransactionSchema(transactionSchema);
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> errors.add(
                            reader.getErrorType() + " at " + reader.getLocation().getSegmentTag() + " "
                                    + reader.getLocation().getSegmentPosition() + "."
                                    + reader.getLocation().getElementPosition());
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (EDIStreamException | RuntimeException e) {
            errors.add(e.getMessage());
        }
        return errors;
    }

    static String invoiceNumber(Invoice invoice) {
        return "INV-" + invoice.id() + (invoice.revision() > 1 ? "-R" + invoice.revision() : "");
    }

    private static void segment(EDIStreamWriter writer, String tag, String... elements) throws EDIStreamException {
        writer.writeStartSegment(tag);
        int last = elements.length;
        while (last > 0 && elements[last - 1].isEmpty()) {
            last--; // X12 drops trailing empty elements
        }
        for (int i = 0; i < last; i++) {
            writer.writeElement(elements[i]);
        }
        writer.writeEndSegment();
    }

    private static LocalDate lastDay(LocalDate periodEndExclusive) {
        return periodEndExclusive.minusDays(1);
    }

    private static String padded(String id) {
        return String.format("%-15s", id);
    }

    /**
     * Free text made safe for X12: first for any document ({@link DocumentText}), then no delimiter of this
     * interchange (element {@code *}, segment {@code ~}, component {@code :}, repetition {@code ^}), at most
     * {@code max} characters.
     */
    static String text(String value, int max) {
        String safe = DocumentText.clean(value == null ? "" : value).replaceAll("[*~:^\\p{Cntrl}]", " ")
                .replaceAll(" {2,}", " ").strip();
        safe = safe.isEmpty() ? "-" : safe;
        return safe.length() > max ? safe.substring(0, max) : safe;
    }
}
