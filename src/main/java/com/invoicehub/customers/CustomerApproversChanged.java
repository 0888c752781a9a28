package com.invoicehub.customers;

import java.util.List;

/** A customer's approvers were replaced (published inside the change's transaction); {@code approverEmails} is now. */
public record CustomerApproversChanged(String customerId, List<String> approverEmails) {
}
