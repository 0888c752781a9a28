package com.invoicehub.customers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.invoicehub.platform.DomainRefusal;

/**
 * A customer's currency change refused: money already owed in the old currency (items not yet invoiced, invoices
 * awaiting a decision or a re-issue) would be relabelled. Answered 409 naming them; ids are listed up to
 * {@link #LISTED} of each.
 */
public class CurrencyInUse extends DomainRefusal {

    static final int LISTED = 100;

    private final String customerId;
    private final String from;
    private final String to;
    private final long unbilledItems;
    private final List<Long> unbilledItemIds;
    private final long undecidedInvoices;
    private final List<Long> undecidedInvoiceIds;

    CurrencyInUse(String customerId, String from, String to, long unbilledItems, List<Long> unbilledItemIds,
                  long undecidedInvoices, List<Long> undecidedInvoiceIds) {
        super("customer " + customerId + " cannot change currency from " + from + " to " + to + " while it has "
                + unbilledItems + " unbilled line items " + unbilledItemIds + " and " + undecidedInvoices
                + " invoices awaiting approval or a re-issue " + undecidedInvoiceIds
                + "; invoice and decide them first, or register the new currency as another customer");
        this.customerId = customerId;
        this.from = from;
        this.to = to;
        this.unbilledItems = unbilledItems;
        this.unbilledItemIds = List.copyOf(unbilledItemIds);
        this.undecidedInvoices = undecidedInvoices;
        this.undecidedInvoiceIds = List.copyOf(undecidedInvoiceIds);
    }

    public String customerId() {
        return customerId;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public long unbilledItems() {
        return unbilledItems;
    }

    /** The first {@link #LISTED} ids, lowest first. */
    public List<Long> unbilledItemIds() {
        return unbilledItemIds;
    }

    public long undecidedInvoices() {
        return undecidedInvoices;
    }

    /** The first {@link #LISTED} ids, lowest first. */
    public List<Long> undecidedInvoiceIds() {
        return undecidedInvoiceIds;
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "currency_in_use";
    }

    @Override
    public String field() {
        return "currency";
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("currentCurrency", from);
        details.put("unbilledItems", Map.of("count", unbilledItems, "ids", unbilledItemIds));
        details.put("undecidedInvoices", Map.of("count", undecidedInvoices, "ids", undecidedInvoiceIds));
        return details;
    }
}
