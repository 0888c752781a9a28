package com.invoicehub.invoicing;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.invoicehub.shared.Money;

/**
 * The line items behind each line of one invoice, for people (the approval page opens them per line). Read in one
 * query for the whole invoice ({@link Invoices#lineItems(long)}). An item a correction excluded stays listed, marked
 * {@code excluded}: it was on the invoice as issued, but it is not billed by it.
 */
public record InvoiceLineItems(Map<LineKey, List<Item>> byLine) {

    /** What makes a line one line of its invoice (the unique key of {@code invoice_lines}). */
    public record LineKey(String customerUserId, String expenseType, boolean priorPeriod) {

        public static LineKey of(Invoice.Line line) {
            return new LineKey(line.customerUserId(), line.expenseType(), line.priorPeriod());
        }
    }

    /**
     * One item as billed: {@code amount} is what the invoice counts (after any adjustment), {@code correctionReason}
     * why a correction excluded or adjusted it (null when none did). {@code partnerName} is null for a partner no
     * longer known. Texts are made safe for documents ({@link DocumentText}).
     */
    public record Item(long lineItemId, String partnerId, String partnerName, String externalId, String description,
                       LocalDate serviceDate, Money amount, boolean excluded, String correctionReason) {

        public Item {
            partnerName = DocumentText.name(partnerName);
            externalId = DocumentText.name(externalId);
            description = DocumentText.name(description);
            correctionReason = DocumentText.name(correctionReason);
        }

        /** The partner as people know it: its name, else its id. */
        public String partner() {
            return partnerName == null || partnerName.isBlank() ? partnerId : partnerName;
        }
    }

    public InvoiceLineItems {
        byLine = Map.copyOf(byLine);
    }

    /** Groups items (each with its line's key) in the order given. */
    static InvoiceLineItems of(List<Map.Entry<LineKey, Item>> items) {
        return new InvoiceLineItems(items.stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                LinkedHashMap::new, Collectors.mapping(Map.Entry::getValue, Collectors.toList()))));
    }

    /** The items behind {@code line}, in service-date order; none for a line of another invoice. */
    public List<Item> behind(Invoice.Line line) {
        return byLine.getOrDefault(LineKey.of(line), List.of());
    }
}
