package com.invoicehub.delivery;

import org.springframework.stereotype.Component;

/**
 * API delivery is a pull: nothing is pushed. The delivery waits (PENDING) until the customer fetches the approved
 * invoice with its own key; {@link DeliveryOutbox#fetchedByCustomer} then marks it sent.
 */
@Component
class ApiDelivery implements DeliveryChannel {

    @Override
    public Kind channel() {
        return Kind.API;
    }

    @Override
    public SendResult send(PendingDelivery delivery) {
        return new SendResult.Failed("API deliveries are fetched by the customer, never pushed", null);
    }
}
