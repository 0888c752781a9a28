package com.invoicehub.customers;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.shared.DecimalAmount;
import com.invoicehub.shared.Money;

/** A customer as the API shows it: never its key, webhook secret or EDI password. */
public record Customer(String id, String name, CustomerType type, String currency, String timeZone,
                       int invoiceDay, List<String> approverEmails, List<String> billingEmails, Delivery delivery,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt, Policies policies) {

    public record Delivery(boolean email, String webhookUrl, boolean webhookEnabled, Edi edi) {
    }

    public record Edi(String host, int port, String user, boolean passwordSet, String folder, String senderId,
                      String receiverId) {
    }

    /**
     * The employer's policies an invoice run checks every line against (issue 17); each null when not declared.
     * Amounts are in the customer's currency; {@code allowedExpenseTypes} null means every type is allowed.
     */
    public record Policies(@JsonSerialize(using = DecimalAmount.class) Money annualCapPerEmployee,
                           List<ExpenseType> allowedExpenseTypes,
                           @JsonSerialize(using = DecimalAmount.class) Money maxPerItem) {

        public static final Policies NONE = new Policies(null, null, null);

        public Policies {
            allowedExpenseTypes = allowedExpenseTypes == null ? null : List.copyOf(allowedExpenseTypes);
        }
    }
}
