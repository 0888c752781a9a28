package com.invoicehub.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

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

    /**
     * Exactly what JDK 17's java.text (CLDR data) writes. German puts a no-break space (U+00A0) between the amount
     * and the euro sign; a later JDK's CLDR may change such details, and then this test says so.
     */
    @Test
    void displaysPerTheLocalesRulesWithTheCurrencysDigits() {
        Currency eur = Currency.getInstance("EUR");
        Currency bhd = Currency.getInstance("BHD");
        assertThat(Money.parseExact("283566.35", USD).display(Locale.US)).isEqualTo("$283,566.35");
        assertThat(Money.parseExact("1234.5", eur).display(Locale.GERMANY)).isEqualTo("1.234,50\u00A0€");
        assertThat(Money.parseExact("1234", JPY).display(Locale.US)).isEqualTo("¥1,234");
        assertThat(Money.parseExact("1234", JPY).display(Locale.JAPAN)).isEqualTo("\uFFE51,234");
        assertThat(Money.parseExact("1.234", bhd).display(Locale.US)).isEqualTo("BHD1.234");
        assertThat(Money.parseExact("-5", USD).display(Locale.US)).isEqualTo("-$5.00");
        assertThat(Money.parseExact("-1234.5", eur).display(Locale.GERMANY)).isEqualTo("-1.234,50\u00A0€");
        // The currency is the money's, never the locale's: dollars stay dollars for a German reader.
        assertThat(Money.parseExact("1234.5", USD).display(Locale.GERMANY)).isEqualTo("1.234,50\u00A0$");
    }
}
