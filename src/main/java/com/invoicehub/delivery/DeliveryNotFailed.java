package com.invoicehub.delivery;

import com.invoicehub.platform.Conflict;

/** Only a FAILED delivery is retried (409 {@code not_failed}). */
public class DeliveryNotFailed extends Conflict {

    public DeliveryNotFailed(long deliveryId, DeliveryStatus status) {
        super("not_failed", null, "delivery " + deliveryId + " is " + status + "; only a FAILED delivery is retried");
    }
}
