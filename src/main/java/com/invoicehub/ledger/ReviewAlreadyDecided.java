package com.invoicehub.ledger;

import com.invoicehub.platform.Conflict;

/** A near-duplicate review decided already: a second decision changes nothing. */
public class ReviewAlreadyDecided extends Conflict {

    public ReviewAlreadyDecided(long lineItemId, NearDuplicates.State state) {
        super("already_decided", null, "the review of line item " + lineItemId + " is " + state
                + "; it can be decided only while PENDING");
    }
}
