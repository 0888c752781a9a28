package com.invoicehub.ingest.mapping;

/**
 * One partner row turned into the canonical line item's fields (CONTRACT §4), still as text: what a mapping
 * makes of a row before the hub's rules judge it. Fields the partner left empty are null.
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
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
