package com.invoicehub.delivery;

import com.invoicehub.platform.DomainRefusal;

/** Only a FAILED delivery is retried (409 {@code not_failed}). */
public class DeliveryNotFailed extends DomainRefusal {

    public DeliveryNotFailed(long deliveryId, DeliveryStatus status) {
        super("delivery " + deliveryId + " is " + status + "; only a FAILED delivery is retried");
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }

    @Override
    public String code() {
        return "not_failed";
    }
}
