package com.invoicehub.ingest.mapping;

/** Why a record was REJECTED (CONTRACT §5). */
public enum ReasonCode {
    PARSE_ERROR,
    MISSING_FIELD,
    /** A field holds a control character (tab and NUL included) or a character the hub cannot store as sent. */
    INVALID_CHARACTER,
    /** A text field is longer than the hub keeps (see LineItemLimits). */
    FIELD_TOO_LONG,
    UNKNOWN_CUSTOMER,
    INVALID_AMOUNT,
    /** An amount whose magnitude the ledger cannot hold. */
    AMOUNT_OUT_OF_RANGE,
    CURRENCY_MISMATCH,
    INVALID_CURRENCY,
    INVALID_DATE,
    /** A service date outside the range the hub accepts. */
    DATE_OUT_OF_RANGE,
    UNKNOWN_EXPENSE_TYPE,
    /** The rules let the row through but the ledger's database refused it (a value out of its range, a constraint). */
    LEDGER_REFUSED
}
