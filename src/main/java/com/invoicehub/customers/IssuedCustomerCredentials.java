package com.invoicehub.customers;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The answer that shows a customer's API key and webhook secret, the only time they are shown. */
public record IssuedCustomerCredentials(@JsonUnwrapped Customer customer, String apiKey, String webhookSecret) {
}
