package com.invoicehub.partners;

import com.invoicehub.platform.NotFound;

/** No such partner (404 {@code not_found}). */
public class PartnerNotFound extends NotFound {

    public PartnerNotFound(String partnerId) {
        super("partner", partnerId);
    }
}
