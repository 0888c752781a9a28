package com.invoicehub.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.invoicehub.ingest.mapping.RawLineItem;
import com.invoicehub.ingest.mapping.Rejection;

/** Every value the ledger stores is judged before the database sees it: no Spring, no database. */
class LineItemRulesTest {

    private final LineItemRules rules = new LineItemRules(Map.of("acme", Currency.getInstance("USD")));

    private static RawLineItem item(String externalId, String userName, String amount, String serviceDate,
                                    String description) {
        return new RawLineItem(externalId, "acme", "emp-1", userName, "TUITION", amount, "USD", serviceDate,
                description);
    }

    private static RawLineItem good() {
        return item("EXT-1", "Ada Lovelace", "1250.00", "2026-10-14", "MATH 101");
    }

    private Rejection rejection(RawLineItem raw) {
        LineItemRules.Verdict verdict = rules.judge(raw);
        assertThat(verdict.rejection()).as("a rejection").isNotNull();
        assertThat(verdict.item()).isNull();
        return verdict.rejection();
    }

    @Test
    void aGoodItemPasses() {
        assertThat(rules.judge(good()).item()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000000000000000.00", "10000000000000.00", "-10000000000000", "99999999999999999999"})
    void amountsTheLedgerCannotHoldAreOutOfRange(String amount) {
        Rejection rejection = rejection(item("EXT-1", "Ada", amount, "2026-10-14", null));
        assertThat(rejection.code().name()).isEqualTo("AMOUNT_OUT_OF_RANGE");
        assertThat(rejection.field()).isEqualTo("amount");
        assertThat(rejection.message()).contains(amount).contains("10^13");
    }

    @Test
    void theLargestAmountsWithinTheBoundPass() {
        assertThat(rules.judge(item("EXT-1", "Ada", "9999999999999.99", "2026-10-14", null)).item()).isNotNull();
        assertThat(rules.judge(item("EXT-1", "Ada", "-9999999999999.99", "2026-10-14", null)).item()).isNotNull();
    }

    @Test
    void anExternalIdOverItsLimitIsTooLongAndTheMessageSaysTheLimit() {
        Rejection rejection = rejection(item("X".repeat(3000), "Ada", "1.00", "2026-10-14", null));
        assertThat(rejection.code().name()).isEqualTo("FIELD_TOO_LONG");
        assertThat(rejection.field()).isEqualTo("externalId");
        assertThat(rejection.message()).contains("externalId").contains("3000").contains("200")
                .doesNotContain("XXXXXXXXXX");
        assertThat(rules.judge(item("X".repeat(200), "Ada", "1.00", "2026-10-14", null)).item()).isNotNull();
    }

    @Test
    void everyTextFieldHasItsLimitCountedInCharacters() {
        assertThat(rejection(item("E", "n".repeat(201), "1.00", "2026-10-14", null)).field()).isEqualTo("userName");
        assertThat(rejection(item("E", "Ada", "1.00", "2026-10-14", "d".repeat(1001))).field())
                .isEqualTo("description");
        assertThat(rejection(new RawLineItem("E", "acme", "u".repeat(201), null, "TUITION", "1.00", "USD",
                "2026-10-14", null)).field()).isEqualTo("customerUserId");
        assertThat(rejection(new RawLineItem("E", "c".repeat(64), "u", null, "TUITION", "1.00", "USD",
                "2026-10-14", null)).code().name()).isEqualTo("FIELD_TOO_LONG");
        // 200 characters outside the BMP are 400 UTF-16 units: still 200 characters, and 800 bytes in the key.
        assertThat(rules.judge(item("\uD83D\uDE00".repeat(200), "Ada", "1.00", "2026-10-14", null)).item())
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01", "10000-01-01", "-0001-01-01", "2026-1-14", "14.10.2026", "2026-02-30"})
    void datesThatAreNotYyyyMmDdAreInvalid(String date) {
        Rejection rejection = rejection(item("E", "Ada", "1.00", date, null));
        assertThat(rejection.code().name()).isEqualTo("INVALID_DATE");
        assertThat(rejection.field()).isEqualTo("serviceDate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"})
    void datesOutsideTheRangeAreRefused(String date) {
        Rejection rejection = rejection(item("E", "Ada", "1.00", date, null));
        assertThat(rejection.code().name()).isEqualTo("DATE_OUT_OF_RANGE");
        assertThat(rejection.message()).contains(date).contains("1900-01-01").contains("2199-12-31");
    }

    @Test
    void theEdgesOfTheDateRangePass() {
        assertThat(rules.judge(item("E", "Ada", "1.00", "1900-01-01", null)).item()).isNotNull();
        assertThat(rules.judge(item("E", "Ada", "1.00", "2199-12-31", null)).item()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085", "\u2400"})
    void controlCharactersInAnyFieldAreRefusedNeverDropped(String control) {
        String[] names = {"externalId", "userName", "description"};
        RawLineItem[] items = {
                item("EXT" + control + "1", "Ada", "1.00", "2026-10-14", null),
                item("EXT-1", "Ada" + control + "Lovelace", "1.00", "2026-10-14", null),
                item("EXT-1", "Ada", "1.00", "2026-10-14", "MATH" + control + "101")};
        for (int i = 0; i < items.length; i++) {
            Rejection rejection = rejection(items[i]);
            assertThat(rejection.code().name()).isEqualTo("INVALID_CHARACTER");
            assertThat(rejection.field()).isEqualTo(names[i]);
            assertThat(rejection.message()).contains(names[i]).doesNotContain(control);
        }
    }

    @Test
    void controlCharactersAroundAValueAreNotTrimmedAway() {
        Rejection rejection = rejection(item("EXT-1\t", "Ada", "1.00", "2026-10-14", null));
        assertThat(rejection.code().name()).isEqualTo("INVALID_CHARACTER");
        assertThat(rejection(item("EXT-1", "Ada", "1.00\u0000", "2026-10-14", null)).field()).isEqualTo("amount");
        assertThat(rejection(item("EXT-1", "Ada", "1.00", "\u00002026-10-14", null)).field())
                .isEqualTo("serviceDate");
        // Plain spaces around a value are padding, as before.
        assertThat(rules.judge(item("  EXT-1 ", "Ada", " 1.00", "2026-10-14 ", null)).item().externalId())
                .isEqualTo("EXT-1");
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        assertThat(rejection(item("EXT-\uD800", "Ada", "1.00", "2026-10-14", null)).code().name())
                .isEqualTo("INVALID_CHARACTER");
    }
}
