package com.invoicehub.platform.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import com.invoicehub.platform.InvalidValue;

/** A list answer of CONTRACT §10: items and an opaque cursor to the next page (null on the last). */
public record Page<T>(List<T> items, String next) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    /** Checks {@code size}: 1 to 500, 50 when absent. */
    public static int size(Integer requested) {
        if (requested == null) {
            return DEFAULT_SIZE;
        }
        if (requested < 1 || requested > MAX_SIZE) {
            throw new InvalidValue("size", "must be between 1 and " + MAX_SIZE);
        }
        return requested;
    }

    /**
     * Makes the page from rows fetched with {@code limit + 1}: the extra row only says there is a next page,
     * whose cursor is the position of the last row shown.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> position) {
        if (rows.size() > limit) {
            List<T> page = rows.subList(0, limit);
            return new Page<>(page, encodeCursor(position.apply(page.get(limit - 1))));
        }
        return new Page<>(rows, null);
    }

    public static String encodeCursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    public static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("cursor", "is not a cursor this API gave out");
        }
    }

    /** For lists paged by descending id: the id the cursor stands at ({@link Long#MAX_VALUE} for the first page). */
    public static long beforeId(String cursor) {
        String position = decodeCursor(cursor);
        try {
            return position == null ? Long.MAX_VALUE : Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw new InvalidValue("cursor", "is not a cursor this API gave out");
        }
    }
}
