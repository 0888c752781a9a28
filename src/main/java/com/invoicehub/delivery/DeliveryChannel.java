package com.invoicehub.delivery;

/** One way an approved invoice reaches a customer. A channel never throws: every outcome is a {@link SendResult}. */
interface DeliveryChannel {

    Kind channel();

    SendResult send(PendingDelivery delivery);

    enum Kind { EMAIL, WEBHOOK, EDI, API }

    /**
     * A claimed delivery; {@code messageId} is the same on every try, so the receiver can dedup. {@code leaseOwner}
     * names this very claim (node and claim), so a try is recorded only while the claim is still its own.
     */
    record PendingDelivery(long id, long invoiceId, String customerId, Kind channel, String messageId,
                           int attemptCount, String leaseOwner) {
    }
}
