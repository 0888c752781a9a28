package com.invoicehub.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * An amount in a currency, always scaled to the currency's minor digits. The one place money is rounded.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    /**
     * For people when nothing says which locale they read: a mail has no request and customers keep no locale, and
     * a browser that sends no Accept-Language gets the server's default, which would make the page depend on where
     * the hub runs. English (US) is the language every page and mail is written in.
     */
    public static final Locale DISPLAY_FALLBACK = Locale.US;

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        amount = amount.setScale(currency.getDefaultFractionDigits(), ROUNDING);
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    /**
     * Reads a decimal string as sent by a partner; refuses more minor digits than the currency has rather
     * than rounding someone else's money.
     */
    public static Money parseExact(String text, Currency currency) {
        BigDecimal value = new BigDecimal(text.trim());
        if (value.stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            throw new IllegalArgumentException(
                    "amount " + text + " has more than " + currency.getDefaultFractionDigits()
                            + " decimal places for " + currency.getCurrencyCode());
        }
        return new Money(value, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    /** The decimal string of CONTRACT §10 ("1250.00"). */
    public String toPlainString() {
        return amount.toPlainString();
    }

    /**
     * The amount as people read it in {@code locale}: its currency's symbol, grouping and decimal separators, and
     * exactly the currency's minor digits ({@code $283,566.35}, {@code 1.234,50 €}, {@code ¥1,234}). The one place
     * money is formatted for people; machines get {@link #toPlainString()}.
     */
    public String display(Locale locale) {
        // NumberFormat is not thread-safe and cheap enough to make per call.
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency);
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        format.setRoundingMode(ROUNDING);
        return format.format(amount);
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + currency + " with " + other.currency);
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
