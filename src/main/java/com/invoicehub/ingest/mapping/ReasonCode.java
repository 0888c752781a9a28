package com.invoicehub.ingest.mapping;

/** Why a record was REJECTED (CONTRACT §5). */
public enum ReasonCode {
    PARSE_ERROR,
    MISSING_FIELD,
    UNKNOWN_CUSTOMER,
    INVALID_AMOUNT,
    CURRENCY_MISMATCH,
    INVALID_CURRENCY,
    INVALID_DATE,
    UNKNOWN_EXPENSE_TYPE,
    /** The rules let the row through but the ledger's database refused it (a value out of its range, a constraint). */
    LEDGER_REFUSED
}
