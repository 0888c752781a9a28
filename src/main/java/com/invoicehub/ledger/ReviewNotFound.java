package com.invoicehub.ledger;

import com.invoicehub.platform.NotFound;

/** No near-duplicate review for this line item. */
public class ReviewNotFound extends NotFound {

    public ReviewNotFound(long lineItemId) {
        super("review of line item", Long.toString(lineItemId));
    }
}
