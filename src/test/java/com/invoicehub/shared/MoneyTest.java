package com.invoicehub.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;

import org.junit.jupiter.api.Test;

class MoneyTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void scalesToTheCurrencyDigits() {
        assertThat(Money.parseExact("1250", USD).toPlainString()).isEqualTo("1250.00");
        assertThat(Money.parseExact("-87.1", USD).toPlainString()).isEqualTo("-87.10");
        assertThat(Money.parseExact("500", JPY).toPlainString()).isEqualTo("500");
    }

    @Test
    void refusesMoreDigitsThanTheCurrencyHasInsteadOfRounding() {
        assertThatThrownBy(() -> Money.parseExact("10.005", USD)).hasMessageContaining("USD");
        assertThatThrownBy(() -> Money.parseExact("10.5", JPY)).hasMessageContaining("JPY");
        assertThat(Money.parseExact("10.500", USD).toPlainString()).isEqualTo("10.50");
    }

    @Test
    void addsOnlyTheSameCurrency() {
        Money total = Money.zero(USD).plus(Money.parseExact("1250.00", USD)).plus(Money.parseExact("-87.10", USD));
        assertThat(total.amount()).isEqualByComparingTo(new BigDecimal("1162.90"));
        assertThatThrownBy(() -> total.plus(Money.zero(JPY))).isInstanceOf(IllegalArgumentException.class);
    }
}
