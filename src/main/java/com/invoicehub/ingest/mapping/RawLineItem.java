package com.invoicehub.ingest.mapping;

/**
 * One partner row turned into the canonical line item's fields (CONTRACT §4), still as text: what a mapping
 * makes of a row before the hub's rules judge it. Fields the partner left empty are null. Spaces around a value are
 * dropped (padding); control characters never are, so the rules see and refuse them.
 */
public record RawLineItem(String externalId, String customerId, String customerUserId, String userName,
                          String expenseType, String amount, String currency, String serviceDate,
                          String description) {

    public RawLineItem {
        externalId = blankToNull(externalId);
        customerId = blankToNull(customerId);
        customerUserId = blankToNull(customerUserId);
        userName = blankToNull(userName);
        expenseType = blankToNull(expenseType);
        amount = blankToNull(amount);
        currency = blankToNull(currency);
        serviceDate = blankToNull(serviceDate);
        description = blankToNull(description);
    }

    private static String blankToNull(String value) {
        String trimmed = stripSpaces(value);
        return trimmed == null || trimmed.isEmpty() ? null : trimmed;
    }

    /**
     * The value without the white space around it, control characters excepted ({@link String#strip()} would drop
     * a tab or a line break silently; the hub refuses those instead). Mappings trim with this.
     */
    public static String stripSpaces(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && droppable(value.charAt(start))) {
            start++;
        }
        while (end > start && droppable(value.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    private static boolean droppable(char c) {
        return Character.isWhitespace(c) && !Character.isISOControl(c);
    }
}
