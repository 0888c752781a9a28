package com.invoicehub.delivery;

import com.invoicehub.platform.InvalidValue;

/**
 * The customer has no EDI sender and receiver ids, so no X12 810 can be made for it (400, field {@code format}: the
 * format asked for is not one this customer gets).
 */
public class NoEdiSettings extends InvalidValue {

    public NoEdiSettings(String customerId) {
        super("format", "customer " + customerId
                + " has no EDI settings (delivery.edi senderId and receiverId); it gets no X12");
    }
}
