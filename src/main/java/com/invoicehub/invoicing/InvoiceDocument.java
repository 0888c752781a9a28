package com.invoicehub.invoicing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.invoicehub.shared.Money;

/**
 * An invoice laid out for people (the approval page, the PDF, the mails): its lines grouped per employee, each group
 * with its subtotal. Amounts are Money; renderers write their decimal string ({@link Money#toPlainString()}).
 */
public record InvoiceDocument(Invoice invoice, String customerName, List<Employee> employees) {

    /** Names are made safe for documents here, once, for every renderer (see {@link DocumentText}). */
    public InvoiceDocument {
        customerName = DocumentText.name(customerName);
    }

    public record Employee(String customerUserId, String userName, List<Invoice.Line> lines, Money subtotal) {

        public Employee {
            customerUserId = DocumentText.name(customerUserId);
            userName = DocumentText.name(userName);
        }
    }

    public static InvoiceDocument of(Invoice invoice, String customerName) {
        Map<String, List<Invoice.Line>> byEmployee = new LinkedHashMap<>();
        for (Invoice.Line line : invoice.lines()) {
            byEmployee.computeIfAbsent(line.customerUserId(), id -> new ArrayList<>()).add(line);
        }
        List<Employee> employees = new ArrayList<>();
        byEmployee.forEach((id, lines) -> employees.add(new Employee(id, lines.get(0).userName(), lines,
                lines.stream().map(Invoice.Line::total).reduce(Money::plus).orElseThrow())));
        return new InvoiceDocument(invoice, customerName, employees);
    }

    /** The lines that break a policy of the customer, in the invoice's order (issue 17). */
    public List<Invoice.Line> flaggedLines() {
        return invoice.lines().stream().filter(Invoice.Line::flagged).toList();
    }

    /** For file names and subjects: "invoice 42 (revision 2)". */
    public String title() {
        return "invoice " + invoice.id() + (invoice.revision() > 1 ? " (revision " + invoice.revision() + ")" : "");
    }
}
