package com.invoicehub.platform.api;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A report window {@code [from, to)} or an as-of instant given in a query (CONTRACT §8): each value a date
 * ({@code 2026-09-01}, read in {@code zone}, UTC unless given) or an ISO-8601 timestamp with offset
 * ({@code 2026-09-01T00:00:00Z}; its own offset wins over {@code zone}). The one place such values are read, so every
 * report and look-up takes the same formats and refuses a bad one with the same message. Either bound may be left
 * out (null): the window is then open on that side.
 *
 * <p>A date as {@code from} is the start of that day; as {@code to} the whole day is in the window, which ends when
 * the next day starts; as {@code asOf} the end of that day.
 */
public record TimeWindow(OffsetDateTime from, OffsetDateTime to) {

    static final String ACCEPTED = "a date (yyyy-MM-dd, e.g. 2026-09-01) or a timestamp with offset "
            + "(e.g. 2026-09-01T00:00:00Z or 2026-09-01T00:00:00+02:00)";

    /** The values a date or timestamp may hold: what four-digit years can write (and the database can store). */
    private static final int FIRST_YEAR = 1;
    private static final int LAST_YEAR = 9999;

    /** Longest value echoed back in a refusal: the value is the caller's, not ours to repeat at any length. */
    private static final int ECHOED_CHARS = 64;

    /** Reads {@code from} and {@code to} (each may be null) in {@code zone} (null: UTC); {@code to} must be later. */
    public static TimeWindow parse(String from, String to, String zone) {
        ZoneId zoneId = zone(zone);
        OffsetDateTime start = from == null ? null : read("from", from, zoneId, Bound.START);
        OffsetDateTime end = to == null ? null : read("to", to, zoneId, Bound.END);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new WindowEndsBeforeItStarts(start, end);
        }
        return new TimeWindow(start, end);
    }

    /** This window, ending at {@code now} where it has no end (a person asking "since September" means until now). */
    public TimeWindow endingNowIfOpen(OffsetDateTime now) {
        if (to != null) {
            return this;
        }
        if (from != null && !from.isBefore(now)) {
            throw new WindowEndsBeforeItStarts(from, now);
        }
        return new TimeWindow(from, now);
    }

    /** Reads {@code asOf} in {@code zone} (null: UTC); a date is the end of that day. */
    public static OffsetDateTime asOf(String asOf, String zone) {
        return read("asOf", asOf, zone(zone), Bound.AS_OF);
    }

    /** The zone dates are read in: an IANA id (or an offset such as +02:00); UTC when absent. */
    static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new UnknownTimeZone(echo(zone));
        }
    }

    /** What a date stands for, by the role of the value. */
    private enum Bound {
        /** A window's start: the day's first instant. */
        START,
        /** A window's (exclusive) end: the whole day is inside, so the next day's first instant. */
        END,
        /**
         * An as-of instant, compared inclusively ({@code <= asOf}): the day's last instant the database can hold
         * (it keeps microseconds), so everything of that day counts and nothing of the next.
         */
        AS_OF
    }

    private static OffsetDateTime read(String field, String value, ZoneId zone, Bound bound) {
        String text = value.trim();
        OffsetDateTime instant;
        if (text.length() <= 10 && !text.contains("T")) {
            LocalDate date = parseOrNull(() -> LocalDate.parse(text));
            if (date == null) {
                throw new NotADateOrTimestamp(field, echo(value));
            }
            requireYear(field, value, date.getYear());
            instant = switch (bound) {
                case START -> date.atStartOfDay(zone).toOffsetDateTime();
                case END -> date.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
                case AS_OF -> date.plusDays(1).atStartOfDay(zone).toOffsetDateTime().minus(1, ChronoUnit.MICROS);
            };
        } else {
            instant = parseOrNull(() -> OffsetDateTime.parse(text));
            if (instant == null) {
                throw new NotADateOrTimestamp(field, echo(value));
            }
            requireYear(field, value, instant.getYear());
        }
        return instant;
    }

    private static void requireYear(String field, String value, int year) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new NotADateOrTimestamp(field, echo(value));
        }
    }

    private static <T> T parseOrNull(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String echo(String value) {
        return value.length() <= ECHOED_CHARS ? value : value.substring(0, ECHOED_CHARS) + "…";
    }
}
