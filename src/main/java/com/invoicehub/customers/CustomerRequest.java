package com.invoicehub.customers;

import java.math.BigDecimal;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.platform.InvalidValue;
import com.invoicehub.shared.Ids;
import com.invoicehub.shared.Money;

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
 * {@code policies} likewise: left out, a new customer has none and a changed one keeps its own; {@code {}} removes
 * them all.
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
        @Valid Delivery delivery,
        Policies policies) {

    /** Without policies (left out): what callers written before issue 17 send. */
    public CustomerRequest(String id, String name, CustomerType type, String currency, String timeZone,
                           Integer invoiceDay, List<String> approverEmails, List<String> billingEmails,
                           Delivery delivery) {
        this(id, name, type, currency, timeZone, invoiceDay, approverEmails, billingEmails, delivery, null);
    }

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
                chosen, policies);
    }

    CustomerRequest withPolicies(Policies kept) {
        return new CustomerRequest(id, name, type, currency, timeZone, invoiceDay, approverEmails, billingEmails,
                delivery, kept);
    }

    /**
     * The employer's policies as sent (issue 17): amounts are decimal strings in the customer's currency, expense
     * types the ledger's names. Each may be left out (no such policy). Read and checked by {@link #in(Currency)}.
     */
    public record Policies(String annualCapPerEmployee, List<String> allowedExpenseTypes, String maxPerItem) {

        /** The same bound as a line item's amount (the ingest's): below 10^13 in magnitude. */
        static final BigDecimal AMOUNT_BOUND = BigDecimal.TEN.pow(13);

        /** The stored policies as a request says them, so a PUT that leaves them out keeps them. */
        static Policies of(Customer.Policies stored) {
            return new Policies(stored.annualCapPerEmployee() == null ? null
                    : stored.annualCapPerEmployee().toPlainString(),
                    stored.allowedExpenseTypes() == null ? null
                            : stored.allowedExpenseTypes().stream().map(ExpenseType::name).toList(),
                    stored.maxPerItem() == null ? null : stored.maxPerItem().toPlainString());
        }

        /** Refuses, naming the field, an amount that is not a positive decimal in {@code currency}, or a type unknown. */
        public Customer.Policies in(Currency currency) {
            return new Customer.Policies(amount("policies.annualCapPerEmployee", annualCapPerEmployee, currency),
                    expenseTypes(), amount("policies.maxPerItem", maxPerItem, currency));
        }

        private static Money amount(String field, String text, Currency currency) {
            if (text == null) {
                return null;
            }
            Money money;
            try {
                if (!text.strip().matches("[0-9]+(\\.[0-9]+)?")) {
                    throw new NumberFormatException();
                }
                money = Money.parseExact(text, currency);
            } catch (NumberFormatException e) {
                throw new InvalidValue(field, "'" + text + "' is not a decimal amount such as 5250.00");
            } catch (IllegalArgumentException e) {
                throw new InvalidValue(field, e.getMessage());
            }
            if (money.amount().signum() <= 0) {
                throw new InvalidValue(field, "must be more than zero (leave it out for no limit)");
            }
            if (money.amount().compareTo(AMOUNT_BOUND) >= 0) {
                throw new InvalidValue(field, "must be below 10^13 (10000000000000)");
            }
            return money;
        }

        private List<ExpenseType> expenseTypes() {
            if (allowedExpenseTypes == null) {
                return null;
            }
            if (allowedExpenseTypes.isEmpty()) {
                throw new InvalidValue("policies.allowedExpenseTypes",
                        "must name at least one expense type (leave it out to allow every type)");
            }
            List<ExpenseType> types = new ArrayList<>();
            for (int i = 0; i < allowedExpenseTypes.size(); i++) {
                String name = allowedExpenseTypes.get(i);
                String field = "policies.allowedExpenseTypes[" + i + "]";
                ExpenseType type = Arrays.stream(ExpenseType.values()).filter(t -> t.name().equals(name))
                        .findFirst().orElseThrow(() -> new InvalidValue(field,
                                "'" + name + "' is not one of " + Arrays.toString(ExpenseType.values())));
                if (!types.contains(type)) {
                    types.add(type);
                }
            }
            return types;
        }
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

    /**
     * What Bean Validation cannot say: a real currency and zone, a usable URL, mail for email delivery, policies in
     * the customer's currency. Answers the policies as read.
     */
    Customer.Policies checkMeaning() {
        Currency realCurrency;
        try {
            realCurrency = Currency.getInstance(currency);
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
        return policies == null ? Customer.Policies.NONE : policies.in(realCurrency);
    }
}
