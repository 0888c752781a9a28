package com.invoicehub.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import com.invoicehub.platform.DomainRefusal;
import com.invoicehub.platform.InvalidValue;

/** Report windows and as-of values: dates, timestamps, zones, and what a bad value is told. No Spring. */
class TimeWindowTest {

    @Test
    void aDateWindowHoldsWholeDaysInUtc() {
        TimeWindow window = TimeWindow.parse("2026-09-01", "2026-09-30", null);

        assertThat(window.from()).isEqualTo(OffsetDateTime.parse("2026-09-01T00:00:00Z"));
        assertThat(window.to()).isEqualTo(OffsetDateTime.parse("2026-10-01T00:00:00Z"));
    }

    @Test
    void aSingleDayIsAWindowOfItsOwn() {
        TimeWindow window = TimeWindow.parse("2026-09-01", "2026-09-01", null);

        assertThat(window.to()).isEqualTo(OffsetDateTime.parse("2026-09-02T00:00:00Z"));
    }

    @Test
    void datesAreReadInTheZoneGivenAcrossADaylightSavingChange() {
        TimeWindow window = TimeWindow.parse("2026-11-01", "2026-11-01", "America/New_York");

        assertThat(window.from()).isEqualTo(OffsetDateTime.parse("2026-11-01T00:00:00-04:00"));
        assertThat(window.to()).isEqualTo(OffsetDateTime.parse("2026-11-02T00:00:00-05:00"));
        assertThat(window.to().toInstant().getEpochSecond() - window.from().toInstant().getEpochSecond())
                .isEqualTo(25 * 3600);
    }

    @Test
    void timestampsKeepTheirOwnOffsetWhateverTheZone() {
        TimeWindow window = TimeWindow.parse("2026-09-01T08:30:00+02:00", "2026-09-01T10:00:00.5Z", "Asia/Tokyo");

        assertThat(window.from()).isEqualTo(OffsetDateTime.parse("2026-09-01T08:30:00+02:00"));
        assertThat(window.to()).isEqualTo(OffsetDateTime.parse("2026-09-01T10:00:00.5Z"));
    }

    @Test
    void datesAndTimestampsMix() {
        TimeWindow window = TimeWindow.parse("2026-09-01T12:00:00Z", "2026-09-02", null);

        assertThat(window.to()).isEqualTo(OffsetDateTime.parse("2026-09-03T00:00:00Z"));
    }

    @Test
    void aBoundLeftOutLeavesTheWindowOpen() {
        TimeWindow window = TimeWindow.parse(null, "2026-09-01", null);

        assertThat(window.from()).isNull();
        assertThat(window.to()).isEqualTo(OffsetDateTime.parse("2026-09-02T00:00:00Z"));
    }

    @Test
    void asOfADateIsTheLastMicrosecondOfThatDay() {
        assertThat(TimeWindow.asOf("2026-09-01", null)).isEqualTo(OffsetDateTime.parse("2026-09-01T23:59:59.999999Z"));
        assertThat(TimeWindow.asOf("2026-09-01", "Europe/Berlin"))
                .isEqualTo(OffsetDateTime.parse("2026-09-01T23:59:59.999999+02:00"));
        assertThat(TimeWindow.asOf("2026-09-01T12:00:00Z", "Europe/Berlin"))
                .isEqualTo(OffsetDateTime.parse("2026-09-01T12:00:00Z"));
    }

    @Test
    void aBadValueIsToldTheAcceptedFormats() {
        assertThatThrownBy(() -> TimeWindow.parse("2026-13-01", "2026-12-01", null))
                .isInstanceOf(InvalidValue.class)
                .hasMessage("from: '2026-13-01' is not a date (yyyy-MM-dd, e.g. 2026-09-01) or a timestamp with offset "
                        + "(e.g. 2026-09-01T00:00:00Z or 2026-09-01T00:00:00+02:00)")
                .satisfies(e -> assertThat(((DomainRefusal) e).field()).isEqualTo("from"));
        assertRefused(() -> TimeWindow.parse("2026-09-01", "yesterday", null), "to", "'yesterday' is not a date");
        assertRefused(() -> TimeWindow.asOf("2026-09-01T00:00:00", null), "asOf", "is not a date");
        assertRefused(() -> TimeWindow.asOf("", null), "asOf", "'' is not a date");
        assertRefused(() -> TimeWindow.asOf("0000-12-31", null), "asOf", "is not a date");
        assertRefused(() -> TimeWindow.asOf("+10000-01-01T00:00:00Z", null), "asOf", "is not a date");
    }

    @Test
    void aPlusSentUnescapedIsExplained() {
        assertRefused(() -> TimeWindow.asOf("2026-09-01T00:00:00 02:00", null), "asOf",
                "a + in a query string must be sent as %2B");
    }

    @Test
    void aLongValueIsNotEchoedWhole() {
        String value = "x".repeat(10_000);

        assertThatThrownBy(() -> TimeWindow.asOf(value, null))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void aBadZoneIsToldWhatAZoneIs() {
        assertRefused(() -> TimeWindow.parse("2026-09-01", "2026-09-02", "Mars/Olympus"), "zone",
                "zone: 'Mars/Olympus' is not a time zone: an IANA id such as Europe/Berlin");
    }

    @Test
    void aWindowMustEndAfterItStarts() {
        assertRefused(() -> TimeWindow.parse("2026-09-02", "2026-09-01", null), "to", "to: must be after from");
        assertRefused(() -> TimeWindow.parse("2026-09-01T00:00:00Z", "2026-09-01T00:00:00Z", null), "to",
                "must be after from");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
                                      String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidValue.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((DomainRefusal) e).field()).isEqualTo(field));
    }
}
