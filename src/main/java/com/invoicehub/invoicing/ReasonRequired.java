package com.invoicehub.invoicing;

import com.invoicehub.platform.InvalidValue;

/** A denial or a correction without a reason: the customer and finance must be able to read why (400, field reason). */
public class ReasonRequired extends InvalidValue {

    public ReasonRequired(String why) {
        super("reason", why);
    }
}
