package com.invoicehub.customers;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;

import com.invoicehub.platform.InvalidValue;
import com.invoicehub.shared.Ids;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/customers} and {@code PUT /api/v1/customers/{id}} (CONTRACT §3).
 * On PUT the id may be left out; an EDI password left out keeps the stored one. {@code delivery} may be left out:
 * on POST the customer then gets the default ({@link #withDefaultDelivery()}), on PUT it keeps its channels.
 */
public record CustomerRequest(
        @Pattern(regexp = Ids.PATTERN, message = "must be 2-63 characters of a-z, 0-9 and -, "
                + "starting with a letter or digit") String id,
        @NotBlank @Size(max = 200) String name,
        @NotNull CustomerType type,
        @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
        @NotBlank String timeZone,
        @NotNull @Min(1) @Max(28) Integer invoiceDay,
        @NotEmpty List<@NotBlank @Email String> approverEmails,
        @NotNull List<@NotBlank @Email String> billingEmails,
        @Valid Delivery delivery) {

    public record Delivery(boolean email, @Size(max = 2000) String webhookUrl, @Valid Edi edi) {
    }

    /**
     * A new customer that did not say how it wants its invoices: by email when it named billing contacts, otherwise
     * by API (no channel chosen means the customer fetches its invoices, see the delivery outbox).
     */
    CustomerRequest withDefaultDelivery() {
        if (delivery != null) {
            return this;
        }
        boolean billingContacts = billingEmails != null && !billingEmails.isEmpty();
        return withDelivery(new Delivery(billingContacts, null, null));
    }

    CustomerRequest withDelivery(Delivery chosen) {
        return new CustomerRequest(id, name, type, currency, timeZone, invoiceDay, approverEmails, billingEmails,
                chosen);
    }

    /** The customer's EDI mailbox (SFTP) and its X12 interchange ids (ISA06/ISA08, at most 15 characters). */
    public record Edi(
            @NotBlank String host,
            @NotNull @Min(1) @Max(65535) Integer port,
            @NotBlank String user,
            String password,
            @NotBlank String folder,
            @NotBlank @Size(max = 15) String senderId,
            @NotBlank @Size(max = 15) String receiverId) {
    }

    /** What Bean Validation cannot say: a real currency and zone, a usable URL, mail for email delivery. */
    void checkMeaning() {
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("currency", currency + " is not an ISO 4217 currency");
        }
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidValue("timeZone", timeZone + " is not a time zone such as America/New_York");
        }
        if (delivery.email() && billingEmails.isEmpty()) {
            throw new InvalidValue("billingEmails", "must not be empty when delivery.email is true");
        }
        if (delivery.webhookUrl() != null && !delivery.webhookUrl().isBlank()) {
            try {
                URI uri = URI.create(delivery.webhookUrl());
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidValue("delivery.webhookUrl", "must be an absolute http(s) URL");
            }
        }
    }
}
