package com.invoicehub.customers;

import java.time.OffsetDateTime;
import java.util.List;

/** A customer as the API shows it: never its key, webhook secret or EDI password. */
public record Customer(String id, String name, CustomerType type, String currency, String timeZone,
                       int invoiceDay, List<String> approverEmails, List<String> billingEmails, Delivery delivery,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public record Delivery(boolean email, String webhookUrl, boolean webhookEnabled, Edi edi) {
    }

    public record Edi(String host, int port, String user, boolean passwordSet, String folder, String senderId,
                      String receiverId) {
    }
}
