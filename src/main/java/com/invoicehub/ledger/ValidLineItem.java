package com.invoicehub.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

import com.invoicehub.shared.Money;

/** A line item that passed the hub's rules, typed: what the ledger applies. */
public record ValidLineItem(String externalId, String customerId, String customerUserId, String userName,
                            ExpenseType expenseType, Money amount, LocalDate serviceDate, String description) {

    /**
     * SHA-256 of the canonical content: the same source key with the same hash is a DUPLICATE, with another a
     * CONFLICT. Every field counts, normalized (amount scaled to the currency, date ISO).
     */
    public String contentHash() {
        String canonical = String.join("\u001f", externalId, customerId, customerUserId, nullToEmpty(userName),
                expenseType.name(), amount.toPlainString(), amount.currency().getCurrencyCode(),
                serviceDate.toString(), nullToEmpty(description));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
