package com.invoicehub.invoicing;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.invoicehub.shared.DecimalAmount;
import com.invoicehub.shared.Money;

/**
 * A customer policy an invoice line breaks (issue 17), for the approver: what kind, a sentence saying it, and the
 * amount beyond the policy ({@code amountOver}, never negative). {@code year} is the calendar year of the service
 * dates an annual cap counted, null for the other kinds.
 */
public record PolicyFlag(Kind kind, String message, @JsonSerialize(using = DecimalAmount.class) Money amountOver,
                         Integer year) {

    public enum Kind {
        /** The employee's billed total for a calendar year's services passes the customer's annual cap. */
        ANNUAL_CAP_EXCEEDED,
        /** The line's expense type is not one the customer allows. */
        EXPENSE_TYPE_NOT_ALLOWED,
        /** Items on the line are above the customer's maximum per item. */
        ITEM_OVER_MAXIMUM
    }

    /**
     * A flag as stored: {@code limit} the policy's amount when judged (the cap or the maximum per item),
     * {@code yearTotal} the employee's total for the year with this invoice (caps only), {@code items} how many items
     * are over the maximum (per-item maximum only).
     */
    static PolicyFlag of(Kind kind, String expenseType, Integer year, Money amountOver, Money limit, Money yearTotal,
                         Integer items) {
        String message = switch (kind) {
            case ANNUAL_CAP_EXCEEDED -> amountOver.toPlainString() + " " + code(amountOver) + " over the annual cap of "
                    + limit.toPlainString() + " per employee: " + yearTotal.toPlainString() + " billed for " + year
                    + " services, this invoice included";
            case EXPENSE_TYPE_NOT_ALLOWED -> expenseType + " is not an expense type the customer allows: "
                    + amountOver.toPlainString() + " " + code(amountOver) + " outside the policy";
            case ITEM_OVER_MAXIMUM -> (items == 1 ? "1 item is" : items + " items are") + " above the maximum of "
                    + limit.toPlainString() + " per item, " + amountOver.toPlainString() + " " + code(amountOver)
                    + " over in all";
        };
        return new PolicyFlag(kind, message, amountOver, kind == Kind.ANNUAL_CAP_EXCEEDED ? year : null);
    }

    private static String code(Money money) {
        return money.currency().getCurrencyCode();
    }

    /** A few words for a table cell: "Over the annual cap (2026)". */
    public String label() {
        return switch (kind) {
            case ANNUAL_CAP_EXCEEDED -> "Over the annual cap (" + year + ")";
            case EXPENSE_TYPE_NOT_ALLOWED -> "Expense type not allowed";
            case ITEM_OVER_MAXIMUM -> "Item over the maximum";
        };
    }
}
