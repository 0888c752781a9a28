package com.invoicehub.ingest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Map;
import java.util.regex.Pattern;

import com.invoicehub.ingest.mapping.RawLineItem;
import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.ingest.mapping.Rejection;
import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.ledger.ValidLineItem;
import com.invoicehub.shared.Money;

/**
 * The hub's rules for a line item, the same for every channel: the first broken rule rejects it with its reason.
 * Checks run in a fixed order (fields present, customer, type, amount, currency, date), so a row breaking several
 * rules always gets the same reason.
 */
public final class LineItemRules {

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    /** Known customers and the currency each is invoiced in. */
    private final Map<String, Currency> customerCurrencies;

    public LineItemRules(Map<String, Currency> customerCurrencies) {
        this.customerCurrencies = customerCurrencies;
    }

    /** Either a valid item or the rejection. */
    public record Verdict(ValidLineItem item, Rejection rejection) {
    }

    public Verdict judge(RawLineItem raw) {
        Rejection missing = firstMissing(raw);
        if (missing != null) {
            return rejected(missing);
        }
        Currency customerCurrency = customerCurrencies.get(raw.customerId());
        if (customerCurrency == null) {
            return rejected(new Rejection(ReasonCode.UNKNOWN_CUSTOMER,
                    "customer " + raw.customerId() + " is not known to the hub", "customerId"));
        }
        ExpenseType type;
        try {
            type = ExpenseType.valueOf(raw.expenseType());
        } catch (IllegalArgumentException e) {
            return rejected(new Rejection(ReasonCode.UNKNOWN_EXPENSE_TYPE, "expense type " + raw.expenseType()
                    + " is not one of TUITION, MATERIALS, TUTORING, FEES", "expenseType"));
        }
        Currency currency;
        try {
            currency = Currency.getInstance(raw.currency());
        } catch (IllegalArgumentException e) {
            return rejected(new Rejection(ReasonCode.INVALID_CURRENCY,
                    "currency " + raw.currency() + " is not an ISO 4217 code", "currency"));
        }
        if (!PLAIN_DECIMAL.matcher(raw.amount()).matches()) {
            return rejected(new Rejection(ReasonCode.INVALID_AMOUNT,
                    "amount " + raw.amount() + " is not a decimal number like 1250.00", "amount"));
        }
        if (new BigDecimal(raw.amount()).stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            return rejected(new Rejection(ReasonCode.INVALID_AMOUNT, "amount " + raw.amount() + " has more than "
                    + currency.getDefaultFractionDigits() + " decimal places for " + currency, "amount"));
        }
        if (!currency.equals(customerCurrency)) {
            return rejected(new Rejection(ReasonCode.CURRENCY_MISMATCH, "currency " + currency + " differs from "
                    + customerCurrency + ", the currency customer " + raw.customerId() + " is invoiced in",
                    "currency"));
        }
        LocalDate serviceDate;
        try {
            serviceDate = LocalDate.parse(raw.serviceDate());
        } catch (DateTimeParseException e) {
            return rejected(new Rejection(ReasonCode.INVALID_DATE,
                    "service date " + raw.serviceDate() + " is not a date yyyy-MM-dd", "serviceDate"));
        }
        return new Verdict(new ValidLineItem(raw.externalId(), raw.customerId(), raw.customerUserId(),
                raw.userName(), type, Money.parseExact(raw.amount(), currency), serviceDate, raw.description()),
                null);
    }

    private static Rejection firstMissing(RawLineItem raw) {
        String[][] required = {
                {"externalId", raw.externalId()}, {"customerId", raw.customerId()},
                {"customerUserId", raw.customerUserId()}, {"expenseType", raw.expenseType()},
                {"amount", raw.amount()}, {"currency", raw.currency()}, {"serviceDate", raw.serviceDate()}};
        for (String[] field : required) {
            if (field[1] == null) {
                return new Rejection(ReasonCode.MISSING_FIELD, field[0] + " is missing", field[0]);
            }
        }
        return null;
    }

    private static Verdict rejected(Rejection rejection) {
        return new Verdict(null, rejection);
    }
}
