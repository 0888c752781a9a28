package com.invoicehub.ledger;

import com.invoicehub.platform.InvalidValue;

/** Dismissing a flagged item needs the reason it is the same charge (the reconciliation shows it). */
public class ReviewReasonRequired extends InvalidValue {

    public ReviewReasonRequired() {
        super("reason", "must say, in at most 2000 characters, why the item is the same charge as its twin");
    }
}
