package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Currency;

import org.junit.jupiter.api.Test;

import com.invoicehub.shared.Money;

/** What a flag says to the approver. No Spring. */
class PolicyFlagTest {

    private static final Currency USD = Currency.getInstance("USD");

    @Test
    void eachKindSaysWhatIsOverAndByHowMuch() {
        PolicyFlag cap = PolicyFlag.of(PolicyFlag.Kind.ANNUAL_CAP_EXCEEDED, "TUITION", 2026, usd("750"), usd("5250"),
                usd("6000"), null);
        assertThat(cap.message()).isEqualTo("750.00 USD over the annual cap of 5250.00 per employee: 6000.00 billed "
                + "for 2026 services, this invoice included");
        assertThat(cap.label()).isEqualTo("Over the annual cap (2026)");
        assertThat(cap.year()).isEqualTo(2026);

        PolicyFlag type = PolicyFlag.of(PolicyFlag.Kind.EXPENSE_TYPE_NOT_ALLOWED, "MATERIALS", 0, usd("80.5"), null,
                null, null);
        assertThat(type.message()).isEqualTo("MATERIALS is not an expense type the customer allows: 80.50 USD "
                + "outside the policy");
        assertThat(type.year()).isNull();

        PolicyFlag item = PolicyFlag.of(PolicyFlag.Kind.ITEM_OVER_MAXIMUM, "TUITION", 0, usd("600"), usd("2000"),
                null, 2);
        assertThat(item.message()).isEqualTo("2 items are above the maximum of 2000.00 per item, 600.00 USD over in all");
    }

    private static Money usd(String amount) {
        return new Money(new BigDecimal(amount), USD);
    }
}
