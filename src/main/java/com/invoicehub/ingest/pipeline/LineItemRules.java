package com.invoicehub.ingest.pipeline;

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
 * Checks run in a fixed order (characters, lengths, fields present, customer, type, currency, amount, currency match,
 * date), so a row breaking several rules always gets the same reason. Every value the ledger stores is judged against
 * {@link LineItemLimits} first, so the database never refuses what the rules accepted; nothing is altered to fit.
 */
public final class LineItemRules {

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Known customers and the currency each is invoiced in. */
    private final Map<String, Currency> customerCurrencies;

    public LineItemRules(Map<String, Currency> customerCurrencies) {
        this.customerCurrencies = customerCurrencies;
    }

    /** Either a valid item or the rejection. */
    public record Verdict(ValidLineItem item, Rejection rejection) {
    }

    public Verdict judge(RawLineItem raw) {
        String[][] fields = fields(raw);
        Rejection unfit = firstUnfit(fields);
        if (unfit != null) {
            return rejected(unfit);
        }
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
        BigDecimal amount = new BigDecimal(raw.amount());
        if (amount.stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            return rejected(new Rejection(ReasonCode.INVALID_AMOUNT, "amount " + raw.amount() + " has more than "
                    + currency.getDefaultFractionDigits() + " decimal places for " + currency, "amount"));
        }
        if (amount.abs().compareTo(LineItemLimits.AMOUNT_BOUND) >= 0) {
            return rejected(new Rejection(ReasonCode.AMOUNT_OUT_OF_RANGE, "amount " + raw.amount()
                    + " is out of range: its magnitude must be below 10^13 (10000000000000)", "amount"));
        }
        if (!currency.equals(customerCurrency)) {
            return rejected(currencyMismatch(raw.customerId(), currency, customerCurrency));
        }
        LocalDate serviceDate = isoDate(raw.serviceDate());
        if (serviceDate == null) {
            return rejected(new Rejection(ReasonCode.INVALID_DATE,
                    "service date " + raw.serviceDate() + " is not a date yyyy-MM-dd", "serviceDate"));
        }
        if (serviceDate.isBefore(LineItemLimits.EARLIEST_SERVICE_DATE)
                || serviceDate.isAfter(LineItemLimits.LATEST_SERVICE_DATE)) {
            return rejected(new Rejection(ReasonCode.DATE_OUT_OF_RANGE, "service date " + raw.serviceDate()
                    + " is out of range: it must be from " + LineItemLimits.EARLIEST_SERVICE_DATE + " to "
                    + LineItemLimits.LATEST_SERVICE_DATE, "serviceDate"));
        }
        return new Verdict(new ValidLineItem(raw.externalId(), raw.customerId(), raw.customerUserId(),
                raw.userName(), type, Money.parseExact(raw.amount(), currency), serviceDate, raw.description()),
                null);
    }

    /** The day of a strict {@code yyyy-MM-dd} (a four-digit year, no sign: not {@code +10000-01-01}), or null. */
    private static LocalDate isoDate(String text) {
        if (!ISO_DATE.matcher(text).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Each canonical field's name and value, in {@link LineItemLimits#MAX_CHARACTERS}' order. */
    private static String[][] fields(RawLineItem raw) {
        return new String[][] {
                {"externalId", raw.externalId()}, {"customerId", raw.customerId()},
                {"customerUserId", raw.customerUserId()}, {"userName", raw.userName()},
                {"expenseType", raw.expenseType()}, {"amount", raw.amount()}, {"currency", raw.currency()},
                {"serviceDate", raw.serviceDate()}, {"description", raw.description()}};
    }

    /**
     * The first field holding a character the hub refuses, else the first longer than its limit. The message never
     * repeats the offending value (it may be huge, or hold the very character refused).
     */
    private static Rejection firstUnfit(String[][] fields) {
        for (String[] field : fields) {
            String refused = refusedCharacter(field[1]);
            if (refused != null) {
                return new Rejection(ReasonCode.INVALID_CHARACTER, field[0] + " holds " + refused
                        + "; control characters (tab and NUL included) are refused, never removed", field[0]);
            }
        }
        for (String[] field : fields) {
            int max = LineItemLimits.MAX_CHARACTERS.get(field[0]);
            if (field[1] != null && field[1].length() > max) {
                int length = field[1].codePointCount(0, field[1].length());
                if (length > max) {
                    return new Rejection(ReasonCode.FIELD_TOO_LONG, field[0] + " is " + length
                            + " characters long; at most " + max + " are allowed", field[0]);
                }
            }
        }
        return null;
    }

    /** What is wrong with the value's characters, with its position (1-based), or null when nothing is. */
    static String refusedCharacter(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("the control character U+%04X at position %d", (int) c, i + 1);
            }
            if (c == LineItemLimits.NUL_STAND_IN) {
                return "U+2400 at position " + (i + 1) + " (the hub's stand-in for a NUL character in kept text)";
            }
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("an unpaired surrogate U+%04X at position %d (not a Unicode character)",
                        (int) c, i + 1);
            }
        }
        return null;
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

    /**
     * An item in another currency than its customer is invoiced in: judged here, and again by the batch that applies
     * it, under the customer's row lock, in case the currency changed while the file was read.
     */
    static Rejection currencyMismatch(String customerId, Currency itemCurrency, Currency customerCurrency) {
        return new Rejection(ReasonCode.CURRENCY_MISMATCH, "currency " + itemCurrency + " differs from "
                + customerCurrency + ", the currency customer " + customerId + " is invoiced in", "currency");
    }
}
