package com.invoicehub.delivery;

import com.invoicehub.platform.NotFound;

/** No such delivery (404 {@code not_found}). */
public class DeliveryNotFound extends NotFound {

    public DeliveryNotFound(long deliveryId) {
        super("delivery", Long.toString(deliveryId));
    }
}
