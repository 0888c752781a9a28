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

    /** One digest per thread: looking the algorithm up for every row of a large file shows in its profile. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /**
     * SHA-256 of the canonical content: the same source key with the same hash is a DUPLICATE, with another a
     * CONFLICT. Every field counts, normalized (amount scaled to the currency, date ISO).
     */
    public String contentHash() {
        String canonical = String.join("\u001f", externalId, customerId, customerUserId, nullToEmpty(userName),
                expenseType.name(), amount.toPlainString(), amount.currency().getCurrencyCode(),
                serviceDate.toString(), nullToEmpty(description));
        return HexFormat.of().formatHex(SHA_256.get().digest(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
